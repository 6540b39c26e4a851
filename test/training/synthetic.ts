import type { Sale } from "../../training/csv";
import { createRandom } from "../../training/split";

/** Real King County zipcodes (public postal codes, no sales data), so the committed model knows them. */
export const SYNTHETIC_ZIPCODES = ["98004", "98006", "98033", "98052", "98103", "98115", "98118", "98133", "98155", "98168",
    "98001", "98023", "98031", "98042", "98058", "98059", "98092", "98117", "98125", "98144"];

const FIRST_DAY = Date.UTC(2014, 4, 1) / 86_400_000;

export interface SyntheticOptions {
    n: number;
    seed: number;
    /** Standard deviation of the multiplicative log-normal noise. */
    noise?: number;
}

/** The law's noise-free (median) price of a sale: what a perfect model would estimate. */
export function syntheticMedianPrice(sale: Omit<Sale, "price" | "id">): number {
    const level = 150 + 30 * SYNTHETIC_ZIPCODES.indexOf(sale.zipcode);
    const season = 1 + 0.08 * Math.max(0, (sale.day - FIRST_DAY - 240) / 150);
    return level * sale.sqftLiving ** 0.8 * 5 * (1 + 0.03 * sale.bathrooms) * season * 1.15 ** (sale.record.grade - 7);
}

/**
 * Synthetic sales with a known price law: price = level(zip) × sqft^0.8 × (1 + 0.03·baths) × season(day) ×
 * 1.15^(grade − 7) × noise. Grade is an optional input: a five-field request cannot see it. The rest of the record
 * is plausible and has no effect. Used so that tests run on a clone without the real data.
 */
export function syntheticSales({ n, seed, noise = 0.15 }: SyntheticOptions): Sale[] {
    const random = createRandom(seed);
    // The record's fields come from a stream of their own, so the five inputs and prices of seed n stay as they were.
    const recordRandom = createRandom(seed + 7919);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sales: Sale[] = [];
    for (let i = 0; i < n; i++) {
        const z = Math.floor(random() * SYNTHETIC_ZIPCODES.length);
        const sqftLiving = Math.round(Math.exp(7.5 + 0.4 * gaussian()) / 10) * 10;
        const bedrooms = Math.max(1, Math.min(8, Math.round(sqftLiving / 600 + gaussian() * 0.7)));
        const bathrooms = Math.max(0.75, Math.round((sqftLiving / 900 + gaussian() * 0.4) * 4) / 4);
        const day = FIRST_DAY + Math.floor(random() * 390);
        const record = { lat: 47.3 + 0.4 * recordRandom(), long: -122.4 + 0.5 * recordRandom(), grade: 5 + Math.floor(recordRandom() * 6), condition: 3,
            yr_built: 1960 + Math.floor(recordRandom() * 50), yr_renovated: 0, sqft_lot: 5000, floors: 1, view: 0, waterfront: 0, sqft_living15: sqftLiving };
        const sale = { id: String(1_000_000 + i), day, price: 0, bedrooms, bathrooms, sqftLiving, zipcode: SYNTHETIC_ZIPCODES[z], record };
        sale.price = Math.round(syntheticMedianPrice(sale) * Math.exp(noise * gaussian()));
        sales.push(sale);
    }
    return sales;
}

/** The same sales as a CSV in the original King County column layout (extra columns filled with plausible values). */
export function toKingCountyCsv(sales: readonly Sale[]): string {
    const header = "id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above," +
        "sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15";
    const lines = sales.map((s) => {
        const date = new Date(s.day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "") + "T000000";
        const r = s.record;
        return [s.id, date, s.price, s.bedrooms, s.bathrooms, s.sqftLiving, r.sqft_lot, r.floors, r.waterfront, r.view, r.condition, r.grade,
            s.sqftLiving, 0, r.yr_built, r.yr_renovated, s.zipcode, r.lat, r.long, r.sqft_living15, 5000].join(",");
    });
    return [header, ...lines].join("\n") + "\n";
}
