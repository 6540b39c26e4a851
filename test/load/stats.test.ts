import { strict as assert } from "node:assert";
import { latencyPercentiles, median, percentile, round } from "../../tools/load/stats";

describe("load tools: stats", () => {
    it("takes nearest-rank percentiles", () => {
        const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
        assert.equal(percentile(sorted, 50), 50);
        assert.equal(percentile(sorted, 90), 90);
        assert.equal(percentile(sorted, 99), 99);
        assert.equal(percentile(sorted, 100), 100);
        assert.equal(percentile([7], 99), 7);
    });

    it("takes percentiles of unsorted samples without changing them", () => {
        const samples = [3, 1, 2];
        assert.equal(percentile(samples, 50), 2);
        assert.deepEqual(samples, [3, 1, 2]);
    });

    it("rejects an empty sample and percentiles outside (0, 100]", () => {
        assert.throws(() => percentile([], 50), RangeError);
        assert.throws(() => latencyPercentiles([]), /empty sample/);
        assert.throws(() => percentile([1], 0), RangeError);
        assert.throws(() => percentile([1], 101), RangeError);
    });

    it("sorts unsorted latencies before taking percentiles, without changing the input", () => {
        const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        assert.deepEqual(latencyPercentiles(samples), { p50: 5, p90: 9, p99: 10 });
        assert.deepEqual(samples.slice(0, 3), [5, 1, 4]);
    });

    it("takes the median of odd and even counts", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.throws(() => median([]), RangeError);
    });

    it("rounds to the requested digits", () => {
        assert.equal(round(1.23456), 1.23);
        assert.equal(round(1.23456, 3), 1.235);
    });
});
