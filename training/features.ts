import type { Sale } from "./csv";
import { formatDay } from "./csv";
import { median, roundTo } from "./stats";

/**
 * The model's five inputs, in tensor column order. Valid ranges are what the API enforces: they cover
 * every King County sale with a margin (the largest house is 13,540 sq ft, the most bedrooms 33).
 */
export const FEATURES = [
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
export const FEATURE_NAMES = FEATURES.map((f) => f.name);
export type FeatureVector = [number, number, number, number, number];

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

/** Derives the five model inputs of a sale (training and evaluation share this exact function). */
export function saleFeatures(sale: Sale, locationScores: Record<string, number>, index: readonly MarketIndexPoint[]): FeatureResult {
    const score = locationScores[sale.zipcode];
    if (score === undefined) return { reason: "zipcode: not in the model's location_scores table" };
    const features: FeatureVector = [sale.sqftLiving, sale.bedrooms, sale.bathrooms, score, marketTrend(sale.day, index)];
    for (let i = 0; i < FEATURES.length; i++) {
        const f = FEATURES[i];
        if (features[i] < f.min || features[i] > f.max) {
            return { reason: `${f.name}: outside the valid range [${f.min}, ${f.max}]` };
        }
    }
    return { features };
}
