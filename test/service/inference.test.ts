import { strict as assert } from "node:assert";
import * as ort from "onnxruntime-node";
import { cacheKey, PredictionCache, predictThroughCache } from "../../services/inference/src/inference/cache";
import { InferenceError, ModelRunner, type Prediction } from "../../services/inference/src/inference/runner";
import { createMetrics } from "../../services/inference/src/metrics";
import { linearEstimate, writeLinearModelDir } from "./fixtures/linear-model";

const f32 = Math.fround;

describe("model runner", () => {
    let session: ort.InferenceSession;
    before(async () => {
        session = await ort.InferenceSession.create(`${writeLinearModelDir()}/model.onnx`);
    });
    after(async () => session.release());

    it("returns one estimate with its bounds per row, in row order", async () => {
        const runner = new ModelRunner(session, 5, createMetrics({ model: "m", model_version: "1" }));
        const rows = [[2000, 3, 2, 7, 0.1], [1000, 1, 1, 1, -0.5]];
        const predictions = await runner.predict(rows);
        assert.deepEqual(predictions, rows.map((r) => {
            const e = linearEstimate(r);
            return { estimate: f32(e.estimate), lower: f32(e.lower), upper: f32(e.upper) };
        }));
    });

    it("counts requests waiting for the model in the queue gauge while they run, and rows in the counter", async () => {
        const metrics = createMetrics({ model: "m", model_version: "1" });
        const runner = new ModelRunner(session, 5, metrics);
        const pending = [runner.predict([[2000, 3, 2, 7, 0.1]]), runner.predict([[2000, 3, 2, 7, 0.2], [2000, 3, 2, 7, 0.3]])];
        assert.equal(runner.queueLength, 2);
        assert.equal((await metrics.queueLength.get()).values[0].value, 2);
        await Promise.all(pending);
        assert.equal(runner.queueLength, 0);
        assert.equal((await metrics.queueLength.get()).values[0].value, 0);
        assert.equal((await metrics.predictions.get()).values[0].value, 3);
    });

    it("wraps an onnxruntime failure in an InferenceError and counts it", async () => {
        const metrics = createMetrics({ model: "m", model_version: "1" });
        // Four columns for a five-feature graph: onnxruntime itself rejects the tensor.
        const runner = new ModelRunner(session, 4, metrics);
        await assert.rejects(runner.predict([[1, 2, 3, 4]]), InferenceError);
        assert.equal((await metrics.inferenceErrors.get()).values[0].value, 1);
        assert.equal(runner.queueLength, 0);
    });
});

describe("prediction cache", () => {
    const metrics = () => createMetrics({ model: "m", model_version: "1" });
    const fakeRunner = (calls: number[][][]) => ({
        predict: async (rows: readonly (readonly number[])[]): Promise<Prediction[]> => {
            calls.push(rows.map((r) => [...r]));
            return rows.map((r) => ({ estimate: r[0], lower: r[0] - 1, upper: r[0] + 1 }));
        },
    });

    it("keys rows by their FP32 values, so inputs the model cannot tell apart share an entry", () => {
        assert.equal(cacheKey([0.1, 2]), cacheKey([0.10000000000000001, 2]));
        assert.equal(cacheKey([0, 1]), cacheKey([-0, 1]));
        assert.notEqual(cacheKey([1, 2]), cacheKey([2, 1]));
    });

    it("sends only the rows it has not seen to the model, in one call, and keeps request order", async () => {
        const m = metrics();
        const cache = new PredictionCache({ maxEntries: 10, ttlSeconds: 60, hits: m.cacheHits, misses: m.cacheMisses });
        const calls: number[][][] = [];
        const runner = fakeRunner(calls);
        await predictThroughCache([[1], [2]], runner, cache);
        const result = await predictThroughCache([[3], [1], [2], [4]], runner, cache);
        assert.deepEqual(result.map((p) => p.estimate), [3, 1, 2, 4]);
        assert.deepEqual(calls, [[[1], [2]], [[3], [4]]]);
        assert.equal((await m.cacheHits.get()).values[0].value, 2);
        assert.equal((await m.cacheMisses.get()).values[0].value, 4);
    });

    it("evicts the least recently used entry beyond its size", async () => {
        const m = metrics();
        const cache = new PredictionCache({ maxEntries: 2, ttlSeconds: 60, hits: m.cacheHits, misses: m.cacheMisses });
        const calls: number[][][] = [];
        await predictThroughCache([[1], [2], [3]], fakeRunner(calls), cache);
        assert.equal(cache.size, 2);
        assert.equal(cache.get([1]), undefined);
        assert.equal(cache.get([3])?.estimate, 3);
    });

    it("goes straight to the model when caching is disabled", async () => {
        const calls: number[][][] = [];
        await predictThroughCache([[1]], fakeRunner(calls), undefined);
        await predictThroughCache([[1]], fakeRunner(calls), undefined);
        assert.equal(calls.length, 2);
    });
});
