import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import type { BoostingParams, Tree } from "../../training/gbdt";
import { binColumn, binThresholds, fitBoosting, MISSING_BIN, predictEnsemble, predictTree, toMatrix } from "../../training/gbdt";
import { FEATURE_NAMES, FEATURES, MASK_GROUPS } from "../../training/features";
import { groupTree, INTERVAL_GROUPS, intervalGroupOf } from "../../training/interval-groups";
import { maskedCopies, randomSubset } from "../../training/masking";
import { exportOnnx } from "../../training/onnx-export";
import { createRandom } from "../../training/split";

const params = (over: Partial<BoostingParams> = {}): BoostingParams => ({
    loss: { kind: "squared" }, learningRate: 0.3, maxTrees: 60, maxLeaves: 8, minSamplesLeaf: 5, l2: 0,
    subsample: 1, maxBins: 255, seed: 1, patience: 10, ...over,
});

/** A one-split tree on feature 1 at 0.5: x <= 0.5 → −1, else +1, NaN left or right as asked. */
function oneSplit(missingLeft: boolean): Tree {
    return { feature: Int32Array.from([1, -1, -1]), threshold: Float32Array.from([0.5, 0, 0]), left: Int32Array.from([1, 0, 0]),
        right: Int32Array.from([2, 0, 0]), missingLeft: Uint8Array.from([missingLeft ? 1 : 0, 0, 0]), value: Float32Array.from([0, -1, 1]) };
}

/** A model file whose three targets are the given trees, estimate = exp(tree), with a zero baseline. */
function modelFile(dir: string, name: string, trees: Tree[], width: number): string {
    const ensemble = (tree: Tree) => ({ base: 0, trees: [tree] });
    const file = path.join(dir, name);
    fs.writeFileSync(file, exportOnnx({ offset: { logSquareFeet: 0, locationScore: 0 }, estimate: ensemble(trees[0]),
        lower: ensemble(trees[1] ?? trees[0]), upper: ensemble(trees[2] ?? trees[0]) }, width, "test", "1"));
    return file;
}

async function runLogEstimates(file: string, rows: number[][]): Promise<number[]> {
    const session = await ort.InferenceSession.create(file);
    try {
        // Columns 0 and 3 feed the baseline (slopes 0 here): rows keep them finite.
        const out = await session.run({ features: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, rows[0].length]) });
        return Array.from(out.estimate.data as Float32Array, Math.log);
    } finally {
        await session.release();
    }
}

describe("missing inputs (NaN): trainer and onnxruntime agree", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "missing-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("bins NaN apart and offers a present-vs-missing threshold (+∞) only for columns that have NaN", () => {
        const column = Float32Array.from([1, NaN, 3, 2]);
        const thresholds = binThresholds(column, 255);
        assert.deepEqual(Array.from(thresholds), [1, 2, Infinity]);
        assert.deepEqual(Array.from(binColumn(column, thresholds)), [0, MISSING_BIN, 2, 1]);
        assert.deepEqual(Array.from(binThresholds(Float32Array.from([1, 3, 2]), 255)), [1, 2]);
    });

    it("learns where missing values go from rows that lack the input", () => {
        // y = 10 where x is missing, else x (in 0..1): a missing x belongs with the high values.
        const random = createRandom(3);
        const rows = Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? [NaN, random()] : [random(), random()]));
        const y = Float64Array.from(rows, ([x]) => (Number.isNaN(x) ? 10 : x));
        const { ensemble } = fitBoosting({ X: toMatrix(rows, 2), y }, params());
        const pred = predictEnsemble(ensemble, toMatrix([[NaN, 0.5], [0.2, 0.5], [0.9, 0.5]], 2));
        assert.ok(Math.abs(pred[0] - 10) < 0.2, `missing → ${pred[0]}`);
        assert.ok(Math.abs(pred[1] - 0.2) < 0.2 && Math.abs(pred[2] - 0.9) < 0.2, `present → ${pred[1]}, ${pred[2]}`);
        assert.ok(ensemble.trees.some((t) => t.missingLeft.some((m, node) => m === 1 && t.feature[node] >= 0)) ||
            ensemble.trees.some((t) => t.threshold.some((v, node) => v === Infinity && t.feature[node] >= 0)), "a split routes NaN on purpose");
    });

    it("onnxruntime-node honours nodes_missing_value_tracks_true (NaN to the true branch) and sends NaN false otherwise", async () => {
        const rows = [0.2, 0.9, NaN].map((x) => [1, x, 0, 0, 0]);
        const left = await runLogEstimates(modelFile(dir, "left.onnx", [oneSplit(true)], 5), rows);
        const right = await runLogEstimates(modelFile(dir, "right.onnx", [oneSplit(false)], 5), rows);
        const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-6);
        assert.ok(close(left, [-1, 1, -1]), `missing tracks true: ${left}`);
        assert.ok(close(right, [-1, 1, 1]), `missing tracks false: ${right}`);
        // And the trainer walks the same way.
        const X = toMatrix(rows, 5);
        assert.deepEqual([0, 1, 2].map((r) => predictTree(oneSplit(true), X, r)), [-1, 1, -1]);
        assert.deepEqual([0, 1, 2].map((r) => predictTree(oneSplit(false), X, r)), [-1, 1, 1]);
    });

    it("a +∞ threshold splits present from missing in onnxruntime as in the trainer", async () => {
        const tree = { ...oneSplit(false), threshold: Float32Array.from([Infinity, 0, 0]) };
        const rows = [1e30, NaN, 0.1].map((x) => [1, x, 0, 0, 0]);
        assert.deepEqual(await runLogEstimates(modelFile(dir, "presence.onnx", [tree], 5), rows).then((v) => v.map(Math.round)), [-1, 1, -1]);
        assert.deepEqual([0, 1, 2].map((r) => predictTree(tree, toMatrix(rows, 5), r)), [-1, 1, -1]);
    });

    it("the interval-group tree gives each row its group's value, in the trainer and in onnxruntime", async () => {
        const values = { full: 0.1, seed: 0.3, partial: 0.2 };
        const tree = groupTree(values);
        const random = createRandom(5);
        const full = FEATURES.map((f) => f.min + (f.max - f.min) / 2);
        const rows = [full, ...Array.from({ length: 40 }, () => randomSubset(full, random)), full.map((v, i) => (i < 5 ? v : NaN))];
        const X = toMatrix(rows, FEATURES.length);
        const expected = rows.map((r) => values[intervalGroupOf(r)]);
        assert.deepEqual(rows.map((_, r) => predictTree(tree, X, r)).map((v) => Math.round(v * 10) / 10), expected);
        assert.deepEqual(new Set(rows.map(intervalGroupOf)), new Set(INTERVAL_GROUPS));
        const onnxValues = await runLogEstimates(modelFile(dir, "groups.onnx", [tree], FEATURES.length), rows);
        onnxValues.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `row ${i}: ${v} vs ${expected[i]}`));
    });

    it("masked copies: even copies keep the five required inputs only, odd ones drop whole groups", () => {
        const row = FEATURES.map((_, i) => i + 1);
        const copies = maskedCopies([row, row], 2, createRandom(9));
        assert.equal(copies.length, 4);
        assert.equal(intervalGroupOf(copies[0]), "seed");
        for (const copy of copies.slice(2)) {
            for (const group of MASK_GROUPS) {
                const missing = group.map((name) => Number.isNaN(copy[FEATURE_NAMES.indexOf(name)]));
                assert.ok(missing.every((m) => m === missing[0]), `group ${group.join("+")} masked together`);
            }
            assert.deepEqual(copy.slice(0, 5), [1, 2, 3, 4, 5]);
        }
    });
});
