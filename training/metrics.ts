/** Quality figures on the price scale (USD); mape and coverage are fractions. */
export interface Metrics {
    n: number;
    mae: number;
    mape: number;
    r2: number;
    coverage: number;
    mean_width: number;
}

export interface Predictions {
    estimate: ArrayLike<number>;
    lower: ArrayLike<number>;
    upper: ArrayLike<number>;
}

export function meanAbsoluteError(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
    let sum = 0;
    for (let i = 0; i < actual.length; i++) sum += Math.abs(pred[i] - actual[i]);
    return sum / actual.length;
}

export function computeMetrics(p: Predictions, price: ArrayLike<number>): Metrics {
    const n = price.length;
    if (n === 0) throw new Error("no rows to evaluate");
    let ape = 0;
    let mean = 0;
    let covered = 0;
    let width = 0;
    for (let i = 0; i < n; i++) {
        ape += Math.abs(p.estimate[i] - price[i]) / price[i];
        mean += price[i] / n;
        if (price[i] >= p.lower[i] && price[i] <= p.upper[i]) covered++;
        width += p.upper[i] - p.lower[i];
    }
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
        ssRes += (price[i] - p.estimate[i]) ** 2;
        ssTot += (price[i] - mean) ** 2;
    }
    return {
        n,
        mae: meanAbsoluteError(p.estimate, price),
        mape: ape / n,
        r2: ssTot > 0 ? 1 - ssRes / ssTot : 0,
        coverage: covered / n,
        mean_width: width / n,
    };
}

/** A candidate model's MAE against a baseline's on the same sales (USD). */
export interface MaeComparison {
    n: number;
    baseline_mae: number;
    candidate_mae: number;
    /** candidate − baseline: negative is better. */
    mae_difference: number;
    /** 95% interval of that difference: normal approximation of the mean of the per-sale differences. */
    mae_difference_ci95: [number, number];
}

/**
 * Compares two models' absolute errors sale by sale (`candidate[i]` and `baseline[i]` are the same sale), so the
 * interval reflects how much the test split can tell them apart, not the spread of prices: with thousands of sales
 * the mean of the paired differences is close to normal, and its interval is ±1.96 standard errors.
 */
export function compareMae(candidate: ArrayLike<number>, baseline: ArrayLike<number>): MaeComparison {
    const n = candidate.length;
    if (n !== baseline.length) throw new Error(`paired errors differ in length: ${n} vs ${baseline.length}`);
    if (n < 2) throw new Error("comparing two models needs at least two sales in common");
    let candidateSum = 0;
    let baselineSum = 0;
    for (let i = 0; i < n; i++) {
        candidateSum += candidate[i];
        baselineSum += baseline[i];
    }
    const difference = (candidateSum - baselineSum) / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (candidate[i] - baseline[i] - difference) ** 2;
    const halfWidth = 1.96 * Math.sqrt(squares / (n - 1) / n);
    return {
        n,
        baseline_mae: baselineSum / n,
        candidate_mae: candidateSum / n,
        mae_difference: difference,
        mae_difference_ci95: [difference - halfWidth, difference + halfWidth],
    };
}
