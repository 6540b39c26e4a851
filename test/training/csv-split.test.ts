import { strict as assert } from "node:assert";
import { DataError, parseSaleDate, parseSalesCsv } from "../../training/csv";
import { hash32, SPLIT_FRACTIONS, SPLIT_PARTS, splitPartOf } from "../../training/split";

const HEADER = "id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above," +
    "sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15";
const row = (over: Record<string, string | number> = {}) => {
    const base: Record<string, string | number> = { id: 1, date: "20141013T000000", price: 300000, bedrooms: 3, bathrooms: 1.5,
        sqft_living: 1500, sqft_lot: 5000, floors: 1, waterfront: 0, view: 0, condition: 3, grade: 7, sqft_above: 1500,
        sqft_basement: 0, yr_built: 1960, yr_renovated: 0, zipcode: 98001, lat: 47.3, long: -122.3, sqft_living15: 1500, sqft_lot15: 5000 };
    return HEADER.split(",").map((c) => ({ ...base, ...over })[c]).join(",");
};

describe("training/csv", () => {
    it("parses King County dates and rejects impossible ones", () => {
        assert.equal(parseSaleDate("20141013T000000"), Date.UTC(2014, 9, 13) / 86_400_000);
        assert.equal(parseSaleDate("20150230T000000"), undefined);
        assert.equal(parseSaleDate("2014-10-13"), undefined);
    });

    it("keeps good rows and counts bad ones by a reason naming the column", () => {
        const csv = [HEADER, row(), row({ price: "" }), row({ zipcode: "abc" }), row({ date: "yesterday" }), row({ bedrooms: 2.5 }),
            row({ sqft_living: 0 })].join("\n");
        const parsed = parseSalesCsv(csv);
        assert.equal(parsed.rowsRead, 6);
        assert.equal(parsed.sales.length, 1);
        assert.deepEqual(parsed.sales[0], { id: "1", day: Date.UTC(2014, 9, 13) / 86_400_000, price: 300000, bedrooms: 3, bathrooms: 1.5,
            sqftLiving: 1500, zipcode: "98001", record: { lat: 47.3, long: -122.3, grade: 7, condition: 3, yr_built: 1960, yr_renovated: 0,
                sqft_lot: 5000, floors: 1, view: 0, waterfront: 0, sqft_living15: 1500 } });
        assert.deepEqual(Object.fromEntries(parsed.skipped), {
            "price: missing or not a positive number": 1,
            "zipcode: not a 5-digit zipcode": 1,
            "date: not a YYYYMMDDT000000 date": 1,
            "bedrooms: missing or not a non-negative integer": 1,
            "sqft_living: missing or not a positive number": 1,
        });
    });

    it("reads the optional record columns when present: an absent column or an empty cell is NaN", () => {
        const parsed = parseSalesCsv("id,date,price,bedrooms,bathrooms,sqft_living,zipcode,grade,view\n1,20141013T000000,5,1,1,900,98001,8,\n");
        assert.equal(parsed.sales[0].record.grade, 8);
        assert.ok(Number.isNaN(parsed.sales[0].record.view) && Number.isNaN(parsed.sales[0].record.lat));
    });

    it("names missing columns", () => {
        assert.throws(() => parseSalesCsv("id,date,price\n1,20141013T000000,5", "x.csv"),
            (err: Error) => err instanceof DataError && /x\.csv: missing column\(s\) bedrooms, bathrooms, sqft_living, zipcode/.test(err.message));
        assert.throws(() => parseSalesCsv(HEADER + "\n"), /no data rows/);
    });
});

describe("training/split", () => {
    it("assigns parts by (seed, id) in the documented proportions", () => {
        const counts = Object.fromEntries(SPLIT_PARTS.map((p) => [p, 0]));
        const n = 40000;
        for (let i = 0; i < n; i++) counts[splitPartOf(String(7000000 + i), 42)]++;
        for (const part of SPLIT_PARTS) assert.ok(Math.abs(counts[part] / n - SPLIT_FRACTIONS[part]) < 0.01, `${part}: ${counts[part]}`);
    });

    it("is a pure function of seed and id, and the seed changes it", () => {
        assert.equal(splitPartOf("123", 1), splitPartOf("123", 1));
        const differ = Array.from({ length: 200 }, (_, i) => String(i)).filter((id) => splitPartOf(id, 1) !== splitPartOf(id, 2));
        assert.ok(differ.length > 50);
        assert.notEqual(hash32("1:1"), hash32("1:2"));
    });
});
