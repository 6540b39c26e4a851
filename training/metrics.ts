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
