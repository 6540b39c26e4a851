import { createRandom } from "./split";
import { lowerQuantile } from "./stats";

/**
 * Gradient-boosted regression trees, grown leaf-wise on histogram bins.
 *
 * Everything the exported ONNX graph will compare or add is kept in float32 (features, thresholds, leaf
 * values, base value), so onnxruntime's float TreeEnsembleRegressor walks exactly the same paths as this
 * trainer. Thresholds are actual training values and a row goes left when `x <= threshold` (ONNX BRANCH_LEQ).
 *
 * Missing values are NaN. Every split learns where a missing value goes (XGBoost's "default direction"):
 * both sides are tried with the node's missing rows and the better one is kept; a node that saw no missing
 * rows sends them to its larger child. ONNX expresses it with nodes_missing_value_tracks_true (left = true).
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
    /** 1 where a missing (NaN) value goes left, 0 where it goes right. */
    missingLeft: Uint8Array;
    value: Float32Array;
}

/** The bin of a missing value: after every value bin (thresholds are at most maxBins − 1 < 255). */
export const MISSING_BIN = 255;

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

/** Split candidates per feature: distinct training values (quantiles when there are more than maxBins); NaN ignored. */
export function binThresholds(column: Float32Array, maxBins: number): Float32Array {
    if (maxBins > MISSING_BIN) throw new Error(`maxBins must be at most ${MISSING_BIN}, got ${maxBins}`);
    const sorted = column.filter((v) => !Number.isNaN(v)).sort();
    // A column with missing values also gets +∞: "present (left) or missing (right)", a split of its own.
    const presence = sorted.length < column.length ? [Infinity] : [];
    const distinct: number[] = [];
    for (const v of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    // The largest value is never a useful threshold: everything present would go left.
    if (distinct.length <= maxBins) return Float32Array.from([...distinct.slice(0, -1), ...presence]);
    const cuts: number[] = [];
    for (let k = 1; k < maxBins; k++) {
        const v = sorted[Math.floor((k * sorted.length) / maxBins) - 1];
        if (v < distinct[distinct.length - 1] && (cuts.length === 0 || cuts[cuts.length - 1] !== v)) cuts.push(v);
    }
    return Float32Array.from([...cuts, ...presence]);
}

/** Bin of each value: the first threshold index with value <= threshold (thresholds.length if none); NaN → MISSING_BIN. */
export function binColumn(column: Float32Array, thresholds: Float32Array): Uint8Array {
    const bins = new Uint8Array(column.length);
    for (let i = 0; i < column.length; i++) {
        if (Number.isNaN(column[i])) {
            bins[i] = MISSING_BIN;
            continue;
        }
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

/** The leaf value for one row: `x <= threshold` goes left, NaN follows the node's missing direction. */
export function predictTree(tree: Tree, X: Matrix, row: number): number {
    let node = 0;
    while (tree.feature[node] >= 0) {
        const x = X.columns[tree.feature[node]][row];
        const left = Number.isNaN(x) ? tree.missingLeft[node] === 1 : x <= tree.threshold[node];
        node = left ? tree.left[node] : tree.right[node];
    }
    return tree.value[node];
}

/**
 * Mean number of decision nodes a row passes in each tree: the inference cost of a tree, since onnxruntime's
 * TreeEnsemble does one compare per node on the path.
 */
export function meanPathLengths(trees: readonly Tree[], X: Matrix): number[] {
    return trees.map((tree) => {
        let total = 0;
        for (let row = 0; row < X.rows; row++) {
            let node = 0;
            while (tree.feature[node] >= 0) {
                const x = X.columns[tree.feature[node]][row];
                node = (Number.isNaN(x) ? tree.missingLeft[node] === 1 : x <= tree.threshold[node]) ? tree.left[node] : tree.right[node];
                total++;
            }
        }
        return total / X.rows;
    });
}

/**
 * The best tree count whose trees cost at most `budget` node visits per row in total: the lowest validation
 * score among the affordable prefixes (scores[k] is the score after k + 1 trees).
 */
export function affordableTrees(scores: readonly number[], pathLengths: readonly number[], budget: number): number {
    let best = 0;
    let spent = 0;
    for (let k = 0; k < scores.length; k++) {
        spent += pathLengths[k];
        if (spent > budget) break;
        if (best === 0 || scores[k] < scores[best - 1]) best = k + 1;
    }
    return best;
}

/** Raw ensemble output (base + sum of leaf values) per row. */
export function predictEnsemble(ensemble: Ensemble, X: Matrix): Float64Array {
    const out = new Float64Array(X.rows).fill(ensemble.base);
    for (const tree of ensemble.trees) for (let i = 0; i < X.rows; i++) out[i] += predictTree(tree, X, i);
    return out;
}

interface Split { feature: number; bin: number; gain: number; missingLeft: boolean }
interface Leaf { node: number; rows: Int32Array; split: Split | undefined }

function bestSplit(rows: Int32Array, bins: Uint8Array[], nBins: number[], target: Float64Array, p: BoostingParams): Split | undefined {
    let total = 0;
    for (const r of rows) total += target[r];
    const n = rows.length;
    const parentScore = (total * total) / (n + p.l2);
    const score = (sum: number, count: number) => (sum * sum) / (count + p.l2);
    let best: Split | undefined;
    const sums = new Float64Array(MISSING_BIN + 1);
    const counts = new Int32Array(MISSING_BIN + 1);
    for (let f = 0; f < bins.length; f++) {
        sums.fill(0);
        counts.fill(0);
        const column = bins[f];
        for (const r of rows) {
            sums[column[r]] += target[r];
            counts[column[r]]++;
        }
        const missingSum = sums[MISSING_BIN];
        const missingCount = counts[MISSING_BIN];
        let leftSum = 0;
        let leftCount = 0;
        for (let b = 0; b < nBins[f] - 1; b++) {
            leftSum += sums[b];
            leftCount += counts[b];
            const rightCount = n - missingCount - leftCount;
            // Missing rows to the right, then to the left; each side must keep minSamplesLeaf rows.
            for (let side = 0; side < (missingCount > 0 ? 2 : 1); side++) {
                const missingLeft = side === 1;
                const lc = missingLeft ? leftCount + missingCount : leftCount;
                const rc = n - lc;
                if (lc < p.minSamplesLeaf || rc < p.minSamplesLeaf) continue;
                const ls = missingLeft ? leftSum + missingSum : leftSum;
                const gain = score(ls, lc) + score(total - ls, rc) - parentScore;
                if (gain > 1e-12 && (best === undefined || gain > best.gain)) {
                    // No missing rows seen here: a missing value later follows the larger side.
                    best = { feature: f, bin: b, gain, missingLeft: missingCount > 0 ? missingLeft : leftCount >= rightCount };
                }
            }
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
    const missingLeft: number[] = [0];
    const leaves: Leaf[] = [{ node: 0, rows, split: bestSplit(rows, bins, nBins, target, p) }];
    while (leaves.length < p.maxLeaves) {
        let pick = -1;
        for (let i = 0; i < leaves.length; i++) {
            const s = leaves[i].split;
            if (s && (pick < 0 || s.gain > (leaves[pick].split as Split).gain)) pick = i;
        }
        if (pick < 0) break;
        const { node, rows: parentRows, split } = leaves[pick];
        const { feature: f, bin, missingLeft: missingGoesLeft } = split as Split;
        const isLeft = (b: number) => (b === MISSING_BIN ? missingGoesLeft : b <= bin);
        const goesLeft = parentRows.filter((r) => isLeft(bins[f][r]));
        const goesRight = parentRows.filter((r) => !isLeft(bins[f][r]));
        const l = feature.length;
        const r = l + 1;
        feature[node] = f;
        threshold[node] = thresholds[f][bin];
        left[node] = l;
        right[node] = r;
        missingLeft[node] = missingGoesLeft ? 1 : 0;
        feature.push(-1, -1);
        threshold.push(0, 0);
        left.push(0, 0);
        right.push(0, 0);
        missingLeft.push(0, 0);
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
        missingLeft: Uint8Array.from(missingLeft),
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
    /** Every tree grown (after `start`'s), also those past bestTrees. */
    grown: Tree[];
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
    start?: Ensemble,
): BoostingResult {
    const { X, y } = train;
    const n = X.rows;
    if (n === 0) throw new Error("no training rows");
    const loss = params.loss;
    const thresholds = X.columns.map((c) => binThresholds(c, params.maxBins));
    const bins = X.columns.map((c, f) => binColumn(c, thresholds[f]));
    let mean = 0;
    for (const v of y) mean += v / n;
    // Continuing from `start` (its base and trees kept as they are), or from the best constant.
    const base = start?.base ?? Math.fround(loss.kind === "squared" ? mean : lowerQuantile(y, loss.alpha));
    const pred = start ? predictEnsemble(start, X) : new Float64Array(n).fill(base);
    const validPred = validation ? (start ? predictEnsemble(start, validation.data.X) : new Float64Array(validation.data.X.rows).fill(base)) : undefined;
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
    return { ensemble: { base, trees: [...(start?.trees ?? []), ...trees.slice(0, bestTrees)] }, validationScores, bestTrees, grown: trees };
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
