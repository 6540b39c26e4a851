import { strict as assert } from "node:assert";
import { mock } from "node:test";
import * as ort from "onnxruntime-node";
import { DynamicBatcher, takeBatch, type RunRows } from "../../services/inference/src/inference/batcher";
import { InferenceError, ModelRunner, type ModelSession } from "../../services/inference/src/inference/runner";
import { createMetrics } from "../../services/inference/src/metrics";

type Rows = readonly (readonly number[])[];

/** A model stand-in that doubles the first feature and records every call's rows. */
function fakeModel(fail?: (rows: Rows) => Error | undefined): { run: RunRows<number>; calls: Rows[] } {
    const calls: Rows[] = [];
    const run: RunRows<number> = async (rows) => {
        calls.push(rows);
        const error = fail?.(rows);
        if (error) throw error;
        return rows.map((r) => r[0] * 2);
    };
    return { run, calls };
}

const settle = (promises: Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> => Promise.allSettled(promises);

describe("dynamic batcher", () => {
    describe("takeBatch", () => {
        it("takes the longest arrival-order prefix that fits", () => {
            assert.equal(takeBatch([1, 1, 1], 8), 3);
            assert.equal(takeBatch([3, 4, 2], 8), 2);
            assert.equal(takeBatch([8, 1], 8), 1);
        });

        it("takes an oversized first request alone so it still runs", () => {
            assert.equal(takeBatch([300, 1], 256), 1);
        });
    });

    it("coalesces requests of the same turn into one run and gives each its own rows back", async () => {
        const model = fakeModel();
        const batcher = new DynamicBatcher(model.run, { maxBatchSize: 64, maxDelayMs: 0 });
        const results = await Promise.all([batcher.submit([[1]]), batcher.submit([[2], [3]]), batcher.submit([[4]])]);
        assert.deepEqual(results, [[2], [4, 6], [8]]);
        assert.deepEqual(model.calls, [[[1], [2], [3], [4]]]);
    });

    it("runs as soon as maxBatchSize rows wait, without waiting for the delay", async () => {
        const model = fakeModel();
        const batcher = new DynamicBatcher(model.run, { maxBatchSize: 2, maxDelayMs: 3_600_000 });
        assert.deepEqual(await Promise.all([batcher.submit([[1]]), batcher.submit([[2]])]), [[2], [4]]);
        assert.equal(model.calls.length, 1);
    });

    it("never puts more than maxBatchSize rows in one run, except a request that is larger on its own", async () => {
        const model = fakeModel();
        const batcher = new DynamicBatcher(model.run, { maxBatchSize: 4, maxDelayMs: 0 });
        const sizes = [3, 2, 6, 1, 1];
        const requests = sizes.map((n, i) => batcher.submit(Array.from({ length: n }, () => [i])));
        const results = await Promise.all(requests);
        results.forEach((r, i) => assert.deepEqual(r, Array.from({ length: sizes[i] }, () => i * 2)));
        assert.deepEqual(model.calls.map((c) => c.length), [3, 2, 6, 2]);
    });

    it("waits up to maxDelayMs for company, then runs what has gathered", async () => {
        mock.timers.enable({ apis: ["setTimeout"] });
        try {
            const model = fakeModel();
            const batcher = new DynamicBatcher(model.run, { maxBatchSize: 64, maxDelayMs: 5 });
            const first = batcher.submit([[1]]);
            mock.timers.tick(4);
            assert.equal(model.calls.length, 0, "nothing runs before the delay");
            const second = batcher.submit([[2]]);
            assert.equal(batcher.queueLength, 2);
            mock.timers.tick(1);
            assert.deepEqual(await Promise.all([first, second]), [[2], [4]]);
            assert.deepEqual(model.calls, [[[1], [2]]]);
            assert.equal(batcher.queueLength, 0);
        } finally {
            mock.timers.reset();
        }
    });

    it("fails only the requests of the failing batch, each with the run's own error", async () => {
        const boom = new Error("onnxruntime exploded");
        const model = fakeModel((rows) => (rows.some((r) => r[0] === 13) ? boom : undefined));
        const batcher = new DynamicBatcher(model.run, { maxBatchSize: 2, maxDelayMs: 0 });
        const outcomes = await settle([batcher.submit([[13]]), batcher.submit([[1]]), batcher.submit([[2]]), batcher.submit([[3]])]);
        assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected", "fulfilled", "fulfilled"]);
        assert.equal((outcomes[0] as PromiseRejectedResult).reason, boom);
        assert.equal((outcomes[1] as PromiseRejectedResult).reason, boom);
        assert.deepEqual((outcomes[3] as PromiseFulfilledResult<number[]>).value, [6]);
    });

    it("rejects the whole batch when the run returns a result count that does not match its rows", async () => {
        const batcher = new DynamicBatcher<number>(async () => [1], { maxBatchSize: 8, maxDelayMs: 0 });
        const outcomes = await settle([batcher.submit([[1]]), batcher.submit([[2]])]);
        assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected"]);
        assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /2 rows returned 1 results/);
    });

    it("counts waiting requests in queueLength until their batch starts", async () => {
        const model = fakeModel();
        const batcher = new DynamicBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 0 });
        const pending = [batcher.submit([[1]]), batcher.submit([[2]]), batcher.submit([[3]])];
        assert.equal(batcher.queueLength, 3);
        await Promise.all(pending);
        assert.equal(batcher.queueLength, 0);
    });

    it("rejects nonsensical options", () => {
        const model = fakeModel();
        assert.throws(() => new DynamicBatcher(model.run, { maxBatchSize: 0, maxDelayMs: 0 }), RangeError);
        assert.throws(() => new DynamicBatcher(model.run, { maxBatchSize: 4, maxDelayMs: -1 }), RangeError);
    });
});

describe("model runner with dynamic batching", () => {
    // A session stand-in with the real onnxruntime run() contract: estimate = 10 × first feature.
    function countingSession(fail = false): { session: ModelSession; batchSizes: number[] } {
        const batchSizes: number[] = [];
        const session: ModelSession = {
            run: (async (feeds: Record<string, ort.Tensor>) => {
                const input = feeds.features;
                const rows = input.dims[0];
                batchSizes.push(rows);
                if (fail) throw new Error("onnxruntime: bad things");
                const column = (scale: number) =>
                    new ort.Tensor("float32", Float32Array.from({ length: rows }, (_, i) => (input.data as Float32Array)[i * 2] * scale), [rows, 1]);
                return { estimate: column(10), lower: column(9), upper: column(11) };
            }) as unknown as ModelSession["run"],
        };
        return { session, batchSizes };
    }
    const metrics = () => createMetrics({ model: "m", model_version: "1" });

    it("answers concurrent requests from one session.run, each with its own rows", async () => {
        const { session, batchSizes } = countingSession();
        const runner = new ModelRunner(session, 2, metrics(), { maxQueueLength: 64, batching: { maxBatchSize: 32, maxDelayMs: 0 } });
        const results = await Promise.all([runner.predict([[1, 0]]), runner.predict([[2, 0], [3, 0]]), runner.predict([[4, 0]])]);
        assert.deepEqual(results.map((r) => r.map((p) => p.estimate)), [[10], [20, 30], [40]]);
        assert.deepEqual(results[1][1], { estimate: 30, lower: 27, upper: 33 });
        assert.deepEqual(batchSizes, [4]);
    });

    it("counts every waiting request in inference_queue_length until its batch has answered", async () => {
        const m = metrics();
        const { session } = countingSession();
        const runner = new ModelRunner(session, 2, m, { maxQueueLength: 64, batching: { maxBatchSize: 32, maxDelayMs: 0 } });
        const pending = [runner.predict([[1, 0]]), runner.predict([[2, 0]]), runner.predict([[3, 0]])];
        assert.equal((await m.queueLength.get()).values[0].value, 3);
        await Promise.all(pending);
        assert.equal((await m.queueLength.get()).values[0].value, 0);
        assert.equal((await m.predictions.get()).values[0].value, 3);
    });

    it("fails every request of a failing batch with the InferenceError (500) the unbatched path gives", async () => {
        const m = metrics();
        const { session } = countingSession(true);
        const batched = new ModelRunner(session, 2, m, { maxQueueLength: 64, batching: { maxBatchSize: 32, maxDelayMs: 0 } });
        const unbatched = new ModelRunner(session, 2, metrics(), { maxQueueLength: 64 });
        const outcomes = await Promise.allSettled([batched.predict([[1, 0]]), batched.predict([[2, 0]])]);
        const reference = await unbatched.predict([[1, 0]]).catch((e: unknown) => e);
        for (const o of outcomes) {
            assert.equal(o.status, "rejected");
            const reason = (o as PromiseRejectedResult).reason as Error;
            assert.ok(reason instanceof InferenceError);
            assert.equal(reason.constructor, (reference as Error).constructor);
        }
        assert.equal((await m.inferenceErrors.get()).values[0].value, 2);
    });
});
