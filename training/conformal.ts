/**
 * Split-conformal calibration of quantile regression (CQR, Romano, Patterson & Candès 2019).
 *
 * The quantile models give a raw band [lo, hi] on log(price). On calibration sales the model never
 * trained on, each sale's conformity score is how far its price falls outside the band (negative when
 * inside). Widening both ends by the ⌈(n+1)·level⌉-th smallest score gives an interval that covers a new
 * exchangeable sale with probability ≥ level, whatever the quantile models got wrong — and it stays
 * adaptive: houses the models find uncertain keep wider intervals.
 */

export function cqrScores(lower: ArrayLike<number>, upper: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
    if (lower.length !== y.length || upper.length !== y.length) throw new Error("cqrScores: length mismatch");
    return Float64Array.from(y, (v, i) => Math.max(lower[i] - v, v - upper[i]));
}

/** The conformal correction: the ⌈(n+1)·level⌉-th smallest score. */
export function conformalQuantile(scores: ArrayLike<number>, level: number): number {
    if (!(level > 0 && level < 1)) throw new Error(`conformal level must be in (0, 1), got ${level}`);
    const n = scores.length;
    const k = Math.ceil((n + 1) * level);
    if (k > n) throw new Error(`too few calibration rows (${n}) for level ${level}: need ⌈(n+1)·level⌉ ≤ n`);
    return Float64Array.from(scores).sort()[k - 1];
}
