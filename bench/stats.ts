// Order statistics for latency samples and cold-start runs. Kept free of I/O so they can be unit-tested.

export interface LatencyPercentiles {
    p50: number;
    p90: number;
    p99: number;
}

/**
 * Nearest-rank percentile (the value below which `p` % of the samples fall), the definition HdrHistogram and
 * autocannon report, so our numbers read the same way as theirs. `sorted` must be ascending.
 */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) throw new RangeError("percentile of an empty sample");
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[rank - 1];
}

export function latencyPercentiles(samples: readonly number[]): LatencyPercentiles {
    const sorted = [...samples].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}

/** Median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new RangeError("median of an empty sample");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for reporting: results are read by people and diffed in git, so keep them short. */
export function round(value: number, digits = 2): number {
    const scale = 10 ** digits;
    return Math.round(value * scale) / scale;
}
