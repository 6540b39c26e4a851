/** Small numeric helpers shared by feature derivation, boosting, calibration and metrics. */

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median of an empty list");
    const sorted = Float64Array.from(values).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Empirical quantile: the ceil(q·n)-th smallest value (an actual sample value; q in (0, 1]). */
export function lowerQuantile(values: ArrayLike<number>, q: number): number {
    if (values.length === 0) throw new Error("quantile of an empty list");
    const sorted = Float64Array.from(values).sort();
    const k = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
    return sorted[k - 1];
}

/** Rounds to a fixed number of decimals (used for every value published in metadata). */
export function roundTo(value: number, decimals: number): number {
    const f = 10 ** decimals;
    return Math.round(value * f) / f;
}
