import { strict as assert } from "node:assert";
import type { BoostingParams } from "../../training/gbdt";
import { binColumn, binThresholds, fitBoosting, pinballLoss, predictEnsemble, toMatrix } from "../../training/gbdt";
import { createRandom } from "../../training/split";

const params = (over: Partial<BoostingParams> = {}): BoostingParams => ({
    loss: { kind: "squared" }, learningRate: 0.1, maxTrees: 300, maxLeaves: 16, minSamplesLeaf: 10, l2: 1,
    subsample: 0.8, maxBins: 255, seed: 7, patience: 30, ...over,
});

/** y = sin(2·x0) + x1² − 0.5·x2 on x ∈ [−2, 2]³, optionally with Gaussian noise. */
function knownFunction(n: number, seed: number, noise = 0) {
    const random = createRandom(seed);
    const rows: number[][] = [];
    const truth: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
        const x = [random() * 4 - 2, random() * 4 - 2, random() * 4 - 2];
        const f = Math.sin(2 * x[0]) + x[1] ** 2 - 0.5 * x[2];
        const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        rows.push(x);
        truth.push(f);
        y.push(f + noise * g);
    }
    return { X: toMatrix(rows, 3), y: Float64Array.from(y), truth: Float64Array.from(truth) };
}

describe("training/gbdt", () => {
    it("recovers a known nonlinear function (R² > 0.97 on fresh points)", () => {
        const train = knownFunction(4000, 1, 0.1);
        const valid = knownFunction(1000, 2, 0.1);
        const test = knownFunction(2000, 3);
        const { ensemble } = fitBoosting(train, params(), { data: valid, score: (p, y) => pinballLoss(p, y, 0.5) });
        const pred = predictEnsemble(ensemble, test.X);
        const mean = test.truth.reduce((a, b) => a + b, 0) / test.truth.length;
        let ssRes = 0;
        let ssTot = 0;
        test.truth.forEach((t, i) => {
            ssRes += (t - pred[i]) ** 2;
            ssTot += (t - mean) ** 2;
        });
        assert.ok(1 - ssRes / ssTot > 0.97, `R² ${1 - ssRes / ssTot}`);
    });

    it("fits quantiles: about 90% of fresh targets fall below the 0.9-quantile model", () => {
        const train = knownFunction(4000, 4, 0.5);
        const test = knownFunction(4000, 5, 0.5);
        const { ensemble } = fitBoosting(train, params({ loss: { kind: "quantile", alpha: 0.9 }, l2: 0, maxTrees: 150 }));
        const pred = predictEnsemble(ensemble, test.X);
        const below = test.y.filter((v, i) => v <= pred[i]).length / test.y.length;
        assert.ok(below > 0.86 && below < 0.94, `fraction below ${below}`);
    });

    it("keeps the best validation tree count and stops early", () => {
        const train = knownFunction(500, 6, 1);
        const valid = knownFunction(500, 7, 1);
        const result = fitBoosting(train, params({ maxTrees: 2000, learningRate: 0.3, patience: 20 }),
            { data: valid, score: (p, y) => pinballLoss(p, y, 0.5) });
        assert.ok(result.validationScores.length < 2000);
        assert.equal(result.ensemble.trees.length, result.bestTrees);
        const best = Math.min(...result.validationScores);
        assert.equal(result.validationScores[result.bestTrees - 1], best);
    });

    it("is deterministic for a fixed seed and changes with the seed", () => {
        const train = knownFunction(800, 8, 0.2);
        const a = fitBoosting(train, params({ maxTrees: 30 })).ensemble;
        const b = fitBoosting(train, params({ maxTrees: 30 })).ensemble;
        const c = fitBoosting(train, params({ maxTrees: 30, seed: 8 })).ensemble;
        assert.deepEqual(a, b);
        assert.notDeepEqual(a, c);
    });

    it("keeps thresholds, leaf values and base in float32 so ONNX walks the same paths", () => {
        const train = knownFunction(300, 9, 0.2);
        const { ensemble } = fitBoosting(train, params({ maxTrees: 5 }));
        assert.equal(ensemble.base, Math.fround(ensemble.base));
        for (const tree of ensemble.trees) {
            assert.ok(tree.threshold instanceof Float32Array && tree.value instanceof Float32Array);
            for (let node = 0; node < tree.feature.length; node++) {
                if (tree.feature[node] >= 0) assert.ok(tree.left[node] > node && tree.right[node] > node);
            }
        }
    });

    it("bins: thresholds are data values, x <= threshold[b] exactly for bins ≤ b", () => {
        const column = Float32Array.from([5, 1, 3, 3, 9, 7, 1]);
        const thresholds = binThresholds(column, 255);
        assert.deepEqual(Array.from(thresholds), [1, 3, 5, 7]);
        assert.deepEqual(Array.from(binColumn(column, thresholds)), [2, 0, 1, 1, 4, 3, 0]);
        const many = Float32Array.from({ length: 10000 }, (_, i) => i);
        const cut = binThresholds(many, 16);
        assert.equal(cut.length, 15);
        const bins = binColumn(many, cut);
        for (let b = 0; b < 16; b++) {
            const count = bins.filter((v) => v === b).length;
            assert.ok(Math.abs(count - 625) <= 1, `bin ${b} has ${count}`);
        }
    });

    it("pinball loss is the quantile check function", () => {
        assert.equal(pinballLoss([0, 0], [1, -1], 0.9), (0.9 * 1 + 0.1 * 1) / 2);
    });
});
