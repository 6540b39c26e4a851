import { createRandom } from "./split";
import { lowerQuantile } from "./stats";

/**
 * Gradient-boosted regression trees, grown leaf-wise on histogram bins.
 *
 * Everything the exported ONNX graph will compare or add is kept in float32 (features, thresholds, leaf
 * values, base value), so onnxruntime's float TreeEnsembleRegressor walks exactly the same paths as this
 * trainer. Thresholds are actual training values and a row goes left when `x <= threshold` (ONNX BRANCH_LEQ).
 */

export type Loss = { kind: "squared" } | { kind: "quantile"; alpha: number };

export interface BoostingParams {
    loss: Loss;
    learningRate: number;
    maxTrees: number;
    maxLeaves: number;
    minSamplesLeaf: number;
    /** L2 penalty on leaf values (squared loss only). */
    l2: number;
    /** Fraction of rows each tree is grown on. */
    subsample: number;
    maxBins: number;
    seed: number;
    /** Stop after this many trees without a better validation score. */
    patience: number;
}

/** Column-major float32 feature matrix. */
export interface Matrix {
    rows: number;
    columns: Float32Array[];
}

/** One tree as flat arrays indexed by node id (root = 0); feature −1 marks a leaf. */
export interface Tree {
    feature: Int32Array;
    threshold: Float32Array;
    left: Int32Array;
    right: Int32Array;
    value: Float32Array;
}

export interface Ensemble {
    base: number;
    trees: Tree[];
}

export function toMatrix(rows: readonly (readonly number[])[], width: number): Matrix {
    const columns = Array.from({ length: width }, () => new Float32Array(rows.length));
    rows.forEach((row, i) => {
        if (row.length !== width) throw new Error(`row ${i} has ${row.length} features, expected ${width}`);
        for (let f = 0; f < width; f++) columns[f][i] = row[f];
    });
    return { rows: rows.length, columns };
}

/** Split candidates per feature: distinct training values (quantiles when there are more than maxBins). */
export function binThresholds(column: Float32Array, maxBins: number): Float32Array {
    const sorted = Float32Array.from(column).sort();
    const distinct: number[] = [];
    for (const v of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    // The largest value is never a useful threshold: everything would go left.
    if (distinct.length <= maxBins) return Float32Array.from(distinct.slice(0, -1));
    const cuts: number[] = [];
    for (let k = 1; k < maxBins; k++) {
        const v = sorted[Math.floor((k * sorted.length) / maxBins) - 1];
        if (v < distinct[distinct.length - 1] && (cuts.length === 0 || cuts[cuts.length - 1] !== v)) cuts.push(v);
    }
    return Float32Array.from(cuts);
}

/** Bin of each value: the first threshold index with value <= threshold (thresholds.length if none). */
export function binColumn(column: Float32Array, thresholds: Float32Array): Uint8Array {
    const bins = new Uint8Array(column.length);
    for (let i = 0; i < column.length; i++) {
        let lo = 0;
        let hi = thresholds.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (column[i] <= thresholds[mid]) hi = mid;
            else lo = mid + 1;
        }
        bins[i] = lo;
    }
    return bins;
}

export function predictTree(tree: Tree, X: Matrix, row: number): number {
    let node = 0;
    while (tree.feature[node] >= 0) {
        node = X.columns[tree.feature[node]][row] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    }
    return tree.value[node];
}

/** Raw ensemble output (base + sum of leaf values) per row. */
export function predictEnsemble(ensemble: Ensemble, X: Matrix): Float64Array {
    const out = new Float64Array(X.rows).fill(ensemble.base);
    for (const tree of ensemble.trees) for (let i = 0; i < X.rows; i++) out[i] += predictTree(tree, X, i);
    return out;
}

interface Split { feature: number; bin: number; gain: number }
interface Leaf { node: number; rows: Int32Array; split: Split | undefined }

function bestSplit(rows: Int32Array, bins: Uint8Array[], nBins: number[], target: Float64Array, p: BoostingParams): Split | undefined {
    let total = 0;
    for (const r of rows) total += target[r];
    const n = rows.length;
    const parentScore = (total * total) / (n + p.l2);
    let best: Split | undefined;
    for (let f = 0; f < bins.length; f++) {
        const sums = new Float64Array(nBins[f]);
        const counts = new Int32Array(nBins[f]);
        const column = bins[f];
        for (const r of rows) {
            sums[column[r]] += target[r];
            counts[column[r]]++;
        }
        let leftSum = 0;
        let leftCount = 0;
        for (let b = 0; b < nBins[f] - 1; b++) {
            leftSum += sums[b];
            leftCount += counts[b];
            const rightCount = n - leftCount;
            if (leftCount < p.minSamplesLeaf) continue;
            if (rightCount < p.minSamplesLeaf) break;
            const rightSum = total - leftSum;
            const gain = (leftSum * leftSum) / (leftCount + p.l2) + (rightSum * rightSum) / (rightCount + p.l2) - parentScore;
            if (gain > 1e-12 && (best === undefined || gain > best.gain)) best = { feature: f, bin: b, gain };
        }
    }
    return best;
}

/** Grows one tree leaf-wise (best gain first) on the negative gradient `target` of the given rows. */
export function growTree(
    rows: Int32Array,
    bins: Uint8Array[],
    thresholds: Float32Array[],
    target: Float64Array,
    leafValue: (rows: Int32Array) => number,
    p: BoostingParams,
): Tree {
    const nBins = thresholds.map((t) => t.length + 1);
    const feature: number[] = [-1];
    const threshold: number[] = [0];
    const left: number[] = [0];
    const right: number[] = [0];
    const leaves: Leaf[] = [{ node: 0, rows, split: bestSplit(rows, bins, nBins, target, p) }];
    while (leaves.length < p.maxLeaves) {
        let pick = -1;
        for (let i = 0; i < leaves.length; i++) {
            const s = leaves[i].split;
            if (s && (pick < 0 || s.gain > (leaves[pick].split as Split).gain)) pick = i;
        }
        if (pick < 0) break;
        const { node, rows: parentRows, split } = leaves[pick];
        const { feature: f, bin } = split as Split;
        const goesLeft = parentRows.filter((r) => bins[f][r] <= bin);
        const goesRight = parentRows.filter((r) => bins[f][r] > bin);
        const l = feature.length;
        const r = l + 1;
        feature[node] = f;
        threshold[node] = thresholds[f][bin];
        left[node] = l;
        right[node] = r;
        feature.push(-1, -1);
        threshold.push(0, 0);
        left.push(0, 0);
        right.push(0, 0);
        leaves.splice(pick, 1,
            { node: l, rows: goesLeft, split: bestSplit(goesLeft, bins, nBins, target, p) },
            { node: r, rows: goesRight, split: bestSplit(goesRight, bins, nBins, target, p) });
    }
    const value = new Float32Array(feature.length);
    for (const leaf of leaves) value[leaf.node] = p.learningRate * leafValue(leaf.rows);
    return {
        feature: Int32Array.from(feature),
        threshold: Float32Array.from(threshold),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        value,
    };
}

export interface Dataset {
    X: Matrix;
    y: Float64Array;
}

export interface BoostingResult {
    ensemble: Ensemble;
    /** Validation score after each tree (empty without validation data). */
    validationScores: number[];
    bestTrees: number;
}

export function pinballLoss(pred: ArrayLike<number>, y: ArrayLike<number>, alpha: number): number {
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
        const r = y[i] - pred[i];
        sum += r >= 0 ? alpha * r : (alpha - 1) * r;
    }
    return sum / y.length;
}

/**
 * Fits a boosted ensemble. With validation data, keeps the number of trees with the best validation
 * score (lower is better) and stops after `patience` trees without improvement.
 */
export function fitBoosting(
    train: Dataset,
    params: BoostingParams,
    validation?: { data: Dataset; score: (pred: Float64Array, y: Float64Array) => number },
    onTree?: () => void,
): BoostingResult {
    const { X, y } = train;
    const n = X.rows;
    if (n === 0) throw new Error("no training rows");
    const loss = params.loss;
    const thresholds = X.columns.map((c) => binThresholds(c, params.maxBins));
    const bins = X.columns.map((c, f) => binColumn(c, thresholds[f]));
    let mean = 0;
    for (const v of y) mean += v / n;
    const base = Math.fround(loss.kind === "squared" ? mean : lowerQuantile(y, loss.alpha));
    const pred = new Float64Array(n).fill(base);
    const validPred = validation ? new Float64Array(validation.data.X.rows).fill(base) : undefined;
    const residual = new Float64Array(n);
    const target = new Float64Array(n);
    const random = createRandom(params.seed);
    const trees: Tree[] = [];
    const validationScores: number[] = [];
    let bestTrees = 0;
    let bestScore = Infinity;
    const leafValue = loss.kind === "squared"
        ? (rows: Int32Array) => {
            let s = 0;
            for (const r of rows) s += residual[r];
            return s / (rows.length + params.l2);
        }
        : (rows: Int32Array) => lowerQuantile(Array.from(rows, (r) => residual[r]), loss.alpha);
    for (let t = 0; t < params.maxTrees; t++) {
        for (let i = 0; i < n; i++) {
            residual[i] = y[i] - pred[i];
            target[i] = loss.kind === "squared" ? residual[i] : residual[i] >= 0 ? loss.alpha : loss.alpha - 1;
        }
        const sampled: number[] = [];
        for (let i = 0; i < n; i++) if (params.subsample >= 1 || random() < params.subsample) sampled.push(i);
        const tree = growTree(Int32Array.from(sampled), bins, thresholds, target, leafValue, params);
        trees.push(tree);
        for (let i = 0; i < n; i++) pred[i] += predictTree(tree, X, i);
        onTree?.();
        if (validation && validPred) {
            for (let i = 0; i < validPred.length; i++) validPred[i] += predictTree(tree, validation.data.X, i);
            const score = validation.score(validPred, validation.data.y);
            validationScores.push(score);
            if (score < bestScore) {
                bestScore = score;
                bestTrees = t + 1;
            } else if (t + 1 - bestTrees >= params.patience) {
                break;
            }
        } else {
            bestTrees = t + 1;
        }
    }
    return { ensemble: { base, trees: trees.slice(0, bestTrees) }, validationScores, bestTrees };
}

/** One ensemble whose output is the mean of the given ensembles' outputs (leaf values scaled by 1/k). */
export function averageEnsembles(ensembles: readonly Ensemble[]): Ensemble {
    if (ensembles.length === 1) return ensembles[0];
    const k = ensembles.length;
    return {
        base: Math.fround(ensembles.reduce((sum, e) => sum + e.base, 0) / k),
        trees: ensembles.flatMap((e) => e.trees.map((t) => ({ ...t, value: t.value.map((v) => v / k) }))),
    };
}
