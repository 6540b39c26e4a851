import { strict as assert } from "node:assert";
import type { Sale } from "../../training/csv";
import { parseSaleDate } from "../../training/csv";
import type { MarketIndexPoint } from "../../training/features";
import { buildMarketIndex, buildZipcodeTable, columnsOf, FEATURE_NAMES, FEATURES, marketTrend, MIN_ZIPCODE_SALES, OPTIONAL_FEATURES,
    saleFeatures, seedOnly, withMissing } from "../../training/features";

const day = (iso: string) => parseSaleDate(iso.replace(/-/g, "")) as number;
const RECORD = { lat: 47.5, long: -122.2, grade: 8, condition: 4, yr_built: 1978, yr_renovated: 0, sqft_lot: 7200, floors: 2, view: 0,
    waterfront: 0, sqft_living15: 1800 };
const sale = (zipcode: string, price: number, sqftLiving: number, date = "2014-06-15", id = "1", record: Partial<Sale["record"]> = {}): Sale =>
    ({ id, day: day(date), price, bedrooms: 3, bathrooms: 2, sqftLiving, zipcode, record: { ...RECORD, ...record } });

describe("training/features", () => {
    const training: Sale[] = [
        ...Array.from({ length: 12 }, (_, i) => sale("98001", 100 * (1000 + i * 10), 1000 + i * 10)), // $100/sqft
        ...Array.from({ length: 11 }, (_, i) => sale("98004", 400 * (1000 + i * 10), 1000 + i * 10)), // $400/sqft
        ...Array.from({ length: 10 }, (_, i) => sale("98052", 200 * 2000, 2000 + 0 * i)), // $200/sqft
        ...Array.from({ length: MIN_ZIPCODE_SALES - 1 }, () => sale("98039", 900 * 2000, 2000)), // too few sales
    ];

    it("location_score maps the zipcode median $/sqft onto 0-10 on a log scale", () => {
        const table = buildZipcodeTable(training);
        assert.deepEqual(table.medianPricePerSqft, { "98001": 100, "98004": 400, "98052": 200 });
        assert.equal(table.locationScore["98001"], 0);
        assert.equal(table.locationScore["98004"], 10);
        assert.equal(table.locationScore["98052"], 5); // 200 is the geometric midpoint of 100 and 400
        assert.equal(table.locationScore["98039"], undefined, "zipcodes with too few sales are unknown");
    });

    it("market index is mix-adjusted: selling more expensive zipcodes in a month does not move it", () => {
        const table = { medianPricePerSqft: { "98001": 100, "98004": 400 }, locationScore: { "98001": 0, "98004": 10 } };
        const june = Array.from({ length: 40 }, (_, i) => sale(i < 35 ? "98001" : "98004", (i < 35 ? 100 : 400) * 1500, 1500, "2014-06-10"));
        const july = Array.from({ length: 40 }, (_, i) => sale(i < 5 ? "98001" : "98004", (i < 5 ? 110 : 440) * 1500, 1500, "2014-07-10"));
        const index = buildMarketIndex([...june, ...july], table);
        assert.deepEqual(index.map((p) => [p.month, p.index]), [["2014-06", 1], ["2014-07", 1.1]]);
    });

    it("market_trend uses only months before the sale, with the documented fallbacks", () => {
        const index: MarketIndexPoint[] = [
            { month: "2014-05", index: 1.0, sales: 100 }, { month: "2014-06", index: 1.02, sales: 100 },
            { month: "2014-07", index: 1.05, sales: 100 }, { month: "2014-08", index: 1.1, sales: 100 },
            { month: "2014-09", index: 0.99, sales: 100 },
        ];
        assert.equal(marketTrend(day("2014-05-20"), index), 0, "no earlier month: 0");
        assert.equal(marketTrend(day("2014-06-01"), index), 0, "ref = May = first month: base clamps to May");
        assert.equal(marketTrend(day("2014-08-31"), index), 5, "ref July vs base clamped to May");
        assert.equal(marketTrend(day("2014-09-30"), index), 10, "ref Aug (1.1) vs Aug − 3 = May (1.0)");
        assert.equal(marketTrend(day("2014-10-01"), index), roundTo2(100 * (0.99 / 1.02 - 1)), "ref Sep vs Jun");
        assert.equal(marketTrend(day("2026-01-01"), index), roundTo2(100 * (0.99 / 1.02 - 1)), "after the history: latest trend");
        assert.equal(marketTrend(day("2014-10-01"), []), 0);
        // A sale's own month never matters: changing September's index leaves September sales alone.
        const changed = index.map((p) => (p.month === "2014-09" ? { ...p, index: 5 } : p));
        assert.equal(marketTrend(day("2014-09-15"), changed), marketTrend(day("2014-09-15"), index));
    });

    it("derives the five required inputs, then the record's optional ones, in tensor order", () => {
        const scores = { "98001": 3.5 };
        const result = saleFeatures(sale("98001", 300000, 1500), scores, []);
        assert.deepEqual(result, { features: [1500, 3, 2, 3.5, 0, 47.5, -122.2, 8, 4, 1978, 0, 7200, 2, 0, 0, 1800] });
        assert.deepEqual(saleFeatures(sale("98999", 300000, 1500), scores, []), { reason: "zipcode: not in the model's location_scores table" });
        assert.deepEqual(saleFeatures(sale("98001", 300000, 50000), scores, []), { reason: "square_feet: outside the valid range [200, 20000]" });
        assert.deepEqual(FEATURES.map((f) => f.name), ["square_feet", "bedrooms", "bathrooms", "location_score", "market_trend",
            "lat", "long", "grade", "condition", "yr_built", "yr_renovated", "sqft_lot", "floors", "view", "waterfront", "sqft_living15"]);
    });

    it("an optional input that is absent, out of range or not an integer where one is required is missing (NaN), not a reason to drop the sale", () => {
        const result = saleFeatures(sale("98001", 300000, 1500, "2014-06-15", "1", { grade: 14, view: 1.5, lat: NaN }), { "98001": 3.5 }, []);
        assert.ok("features" in result);
        const at = (name: string) => result.features[FEATURE_NAMES.indexOf(name)];
        assert.ok(Number.isNaN(at("grade")) && Number.isNaN(at("view")) && Number.isNaN(at("lat")));
        assert.equal(at("long"), -122.2);
    });

    it("masks optional inputs only, and finds each model's columns by name", () => {
        const row = FEATURES.map((_, i) => i + 1);
        assert.deepEqual(seedOnly(row).slice(0, 5), [1, 2, 3, 4, 5]);
        assert.ok(seedOnly(row).slice(5).every(Number.isNaN));
        assert.equal(seedOnly(row).length, 5 + OPTIONAL_FEATURES.length);
        assert.ok(Number.isNaN(withMissing(row, ["grade"])[7]) && withMissing(row, ["grade"])[6] === 7);
        assert.throws(() => withMissing(row, ["bedrooms"]), /bedrooms is not an optional input/);
        assert.deepEqual(columnsOf(["square_feet", "bedrooms", "bathrooms", "location_score", "market_trend"]), [0, 1, 2, 3, 4]);
        assert.throws(() => columnsOf(["garage"]), /"garage" is not one training can derive/);
    });
});

function roundTo2(v: number): number {
    return Math.round(v * 100) / 100;
}
