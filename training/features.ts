import type { RecordColumn, Sale } from "./csv";
import { formatDay } from "./csv";
import { median, roundTo } from "./stats";

/**
 * The guide's five inputs, always present, in tensor column order. Valid ranges are what the API enforces: they
 * cover every King County sale with a margin (the largest house is 13,540 sq ft, the most bedrooms 33).
 */
export const REQUIRED_FEATURES = [
    { name: "square_feet", unit: "sq ft", min: 200, max: 20000,
        description: "Interior living area (King County column sqft_living)." },
    { name: "bedrooms", unit: "count", min: 0, max: 40, integer: true,
        description: "Number of bedrooms." },
    { name: "bathrooms", unit: "count", min: 0, max: 10,
        description: "Number of bathrooms; 0.5 = toilet without shower, 0.75 = shower without tub." },
    { name: "location_score", unit: "index 0-10", min: 0, max: 10,
        description: "Price level of the zipcode: 10 × (ln m_z − ln m_min) / (ln m_max − ln m_min), where m_z is the " +
            "median sale price per sq ft of living area of the zipcode's fitted sales (train + validation parts) and m_min, m_max the lowest " +
            "and highest such medians; rounded to 2 decimals. Table: location_scores." },
    { name: "market_trend", unit: "percent", min: -30, max: 30,
        description: "King County price movement before the sale: 100 × (I(m−1) / I(m−4) − 1), where m is the sale's " +
            "calendar month and I the monthly mix-adjusted price index in market_index (see its definition)." },
] as const;

/**
 * The rest of the property record, each optional (NaN in the tensor when absent). Names and meanings are the King
 * County columns; ranges are the span of the King County sales, rounded outwards.
 */
export const OPTIONAL_FEATURES = [
    { name: "lat", unit: "degrees north", min: 47.15, max: 47.78, description: "Latitude of the house (WGS 84)." },
    { name: "long", unit: "degrees east", min: -122.52, max: -121.31, description: "Longitude of the house (WGS 84; negative = west)." },
    { name: "grade", unit: "King County grade", min: 1, max: 13, integer: true,
        description: "Construction and design grade of the King County assessor: 1-3 falls short of building code, 7 average, 11-13 custom high-end." },
    { name: "condition", unit: "King County condition", min: 1, max: 5, integer: true,
        description: "Condition of the house relative to its age (assessor): 1 poor, 3 average, 5 very good." },
    { name: "yr_built", unit: "year", min: 1900, max: 2015, integer: true, description: "Year the house was built." },
    { name: "yr_renovated", unit: "year", min: 0, max: 2015, integer: true,
        description: "Year of the last renovation; 0 = never renovated (the King County convention)." },
    { name: "sqft_lot", unit: "sq ft", min: 500, max: 1700000, description: "Lot area." },
    { name: "floors", unit: "count", min: 1, max: 3.5, description: "Number of floors (levels); 0.5 steps for half floors." },
    { name: "view", unit: "rating 0-4", min: 0, max: 4, integer: true, description: "Quality of the view (assessor): 0 none … 4 excellent." },
    { name: "waterfront", unit: "0 or 1", min: 0, max: 1, integer: true, description: "1 if the lot is on the waterfront, else 0." },
    { name: "sqft_living15", unit: "sq ft", min: 390, max: 6300,
        description: "Mean interior living area of the 15 nearest neighbouring houses (King County column sqft_living15)." },
] as const satisfies ReadonlyArray<{ name: RecordColumn; unit: string; min: number; max: number; integer?: boolean; description: string }>;

/** Every input in tensor column order: the five required ones, then the optional ones. */
export const FEATURES = [...REQUIRED_FEATURES, ...OPTIONAL_FEATURES];
export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);
export const REQUIRED_COUNT = REQUIRED_FEATURES.length;
/** One row of the input tensor; optional inputs a request lacks are NaN. */
export type FeatureVector = number[];

/**
 * Optional inputs that arrive together or not at all (a map pin has both coordinates); training masks by group,
 * and the interval calibration groups requests by which of these are present.
 */
export const MASK_GROUPS: readonly (readonly RecordColumn[])[] = [["lat", "long"], ["grade"], ["condition"], ["yr_built"],
    ["yr_renovated"], ["sqft_lot"], ["floors"], ["view"], ["waterfront"], ["sqft_living15"]];

/** Zipcodes with fewer fitted sales than this get no location_score (too noisy); they are "unknown". */
export const MIN_ZIPCODE_SALES = 10;
/** Months with fewer training sales than this are left out of the market index. */
export const MIN_MONTH_SALES = 30;
/** market_trend compares the last complete month with the month this many months earlier. */
export const TREND_LAG_MONTHS = 3;

export interface ZipcodeTable {
    /** Median price per sq ft of living area, USD, per zipcode (training sales only). */
    medianPricePerSqft: Record<string, number>;
    locationScore: Record<string, number>;
}

export interface MarketIndexPoint {
    month: string; // YYYY-MM
    index: number;
    sales: number;
}

const pricePerSqft = (s: Sale) => s.price / s.sqftLiving;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
    }
    return groups;
}

/** Builds the zipcode → median price per sq ft and location_score tables from training sales. */
export function buildZipcodeTable(training: readonly Sale[]): ZipcodeTable {
    const medians: Record<string, number> = {};
    const groups = [...groupBy(training, (s) => s.zipcode)].sort(([a], [b]) => a.localeCompare(b));
    for (const [zip, sales] of groups) {
        if (sales.length >= MIN_ZIPCODE_SALES) medians[zip] = roundTo(median(sales.map(pricePerSqft)), 2);
    }
    const logs = Object.values(medians).map(Math.log);
    if (logs.length === 0) throw new Error(`no zipcode has ${MIN_ZIPCODE_SALES} or more training sales`);
    const lo = Math.min(...logs);
    const span = Math.max(...logs) - lo;
    const locationScore: Record<string, number> = {};
    for (const [zip, m] of Object.entries(medians)) {
        locationScore[zip] = span > 0 ? roundTo((10 * (Math.log(m) - lo)) / span, 2) : 5;
    }
    return { medianPricePerSqft: medians, locationScore };
}

export const monthOf = (day: number): string => formatDay(day).slice(0, 7);

function monthNumber(month: string): number {
    return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/**
 * Monthly King County price index: the median, over the month's training sales, of the sale's price per
 * sq ft divided by its zipcode's median price per sq ft. Dividing by the zipcode median removes the effect
 * of which neighbourhoods happened to sell that month, so the index moves only with the market.
 */
export function buildMarketIndex(training: readonly Sale[], zipcodes: ZipcodeTable): MarketIndexPoint[] {
    const known = training.filter((s) => zipcodes.medianPricePerSqft[s.zipcode] !== undefined);
    const points: MarketIndexPoint[] = [];
    for (const [month, sales] of groupBy(known, (s) => monthOf(s.day))) {
        if (sales.length < MIN_MONTH_SALES) continue;
        const index = median(sales.map((s) => pricePerSqft(s) / zipcodes.medianPricePerSqft[s.zipcode]));
        points.push({ month, index: roundTo(index, 4), sales: sales.length });
    }
    return points.sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * market_trend for a sale date, using only index months strictly before the sale's month:
 * 100 × (I(ref) / I(ref − 3) − 1) with ref = the month before the sale. I(k) is the latest index month ≤ k.
 * Fallbacks, in order: ref after the index's last month → the last month (dates beyond the history get
 * the latest known trend); ref − 3 before the first month → the first month; ref before the first month
 * (no history yet) → 0.
 */
export function marketTrend(day: number, index: readonly MarketIndexPoint[]): number {
    if (index.length === 0) return 0;
    const numbers = index.map((p) => monthNumber(p.month));
    const first = numbers[0];
    const last = numbers[numbers.length - 1];
    let ref = monthNumber(monthOf(day)) - 1;
    if (ref < first) return 0;
    if (ref > last) ref = last;
    const base = Math.max(first, ref - TREND_LAG_MONTHS);
    const at = (k: number) => {
        let value = index[0].index;
        for (let i = 0; i < numbers.length && numbers[i] <= k; i++) value = index[i].index;
        return value;
    };
    return roundTo(100 * (at(ref) / at(base) - 1), 2);
}

export type FeatureResult = { features: FeatureVector } | { reason: string };

/**
 * Derives the model inputs of a sale (training and evaluation share this exact function). A required input
 * outside its range rejects the sale; an optional one outside its range (or absent) is missing, NaN.
 */
export function saleFeatures(sale: Sale, locationScores: Record<string, number>, index: readonly MarketIndexPoint[]): FeatureResult {
    const score = locationScores[sale.zipcode];
    if (score === undefined) return { reason: "zipcode: not in the model's location_scores table" };
    const required = [sale.sqftLiving, sale.bedrooms, sale.bathrooms, score, marketTrend(sale.day, index)];
    for (let i = 0; i < REQUIRED_COUNT; i++) {
        const f = REQUIRED_FEATURES[i];
        if (required[i] < f.min || required[i] > f.max) {
            return { reason: `${f.name}: outside the valid range [${f.min}, ${f.max}]` };
        }
    }
    const optional = OPTIONAL_FEATURES.map((f) => {
        const v = sale.record[f.name];
        return v >= f.min && v <= f.max && (!("integer" in f) || Number.isInteger(v)) ? v : NaN;
    });
    return { features: [...required, ...optional] };
}

/** The row with the given optional inputs set to missing (NaN). */
export function withMissing(row: readonly number[], names: Iterable<string>): FeatureVector {
    const out = [...row];
    for (const name of names) {
        const column = FEATURE_NAMES.indexOf(name);
        if (column < REQUIRED_COUNT) throw new Error(`${name} is not an optional input`);
        out[column] = NaN;
    }
    return out;
}

/** The five required inputs only: how a caller with the guide's request shape is served. */
export const seedOnly = (row: readonly number[]): FeatureVector => withMissing(row, OPTIONAL_FEATURES.map((f) => f.name));

/** Tensor column of each named input, for a model whose metadata lists `names` (v1 has the first five). */
export function columnsOf(names: readonly string[]): number[] {
    return names.map((name) => {
        const column = FEATURE_NAMES.indexOf(name);
        if (column < 0) throw new Error(`the model input "${name}" is not one training can derive (${FEATURE_NAMES.join(", ")})`);
        return column;
    });
}
