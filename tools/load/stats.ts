// Order statistics for latency samples and cold-start runs: the one percentile definition of the repository's
// load tools (bench, soak, overload, end-to-end tests). Free of I/O so it is unit-tested.

export interface LatencyPercentiles {
    p50: number;
    p90: number;
    p99: number;
}

function nearestRank(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) throw new RangeError(`percentile ${p} of an empty sample: nothing was measured`);
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
    return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

const ascending = (samples: readonly number[]): number[] => [...samples].sort((a, b) => a - b);

/**
 * Nearest-rank percentile (the smallest sample with at least `p` % of the samples at or below it), the
 * definition HdrHistogram and autocannon report, so our numbers read the same way as theirs. The samples may
 * be in any order. An empty sample throws a RangeError: a latency of nothing is a failed measurement, and a
 * caller that can legitimately have none (a window with no 200s) says so itself instead of reporting NaN.
 */
export function percentile(samples: readonly number[], p: number): number {
    return nearestRank(ascending(samples), p);
}

/** p50, p90 and p99 of one sample, sorted once. Same rules as `percentile`. */
export function latencyPercentiles(samples: readonly number[]): LatencyPercentiles {
    const sorted = ascending(samples);
    return { p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), p99: nearestRank(sorted, 99) };
}

/** Median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new RangeError("median of an empty sample");
    const sorted = ascending(values);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for reporting: results are read by people and diffed in git, so keep them short. */
export function round(value: number, digits = 2): number {
    const scale = 10 ** digits;
    return Math.round(value * scale) / scale;
}
