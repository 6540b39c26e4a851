import assert from "node:assert/strict";
import {
    billedInstanceSeconds,
    coldStartsByHour,
    instancesFor,
    lambdaEnvironmentsFor,
    lambdaMemoryMb,
    nodesFor,
    p99WithColdStarts,
    replicasFor,
    startsByHour,
    unitCapacityRps,
} from "../../advisor/capacity";
import { DEFAULT_ASSUMPTIONS } from "../../advisor/assumptions";
import { serviceFacts, type BenchResults } from "../../advisor/facts";
import { ASSUMPTIONS, FACTS, near } from "./helpers";

const bench = (p50: number): BenchResults => ({
    measured_at: "2026-01-01T00:00:00Z",
    machine: { cpus: 2 },
    cases: [{ name: "predict-single", throughput_rps: 400, latency_ms: { p50, p99: 20 }, peak_rss_mb: 400 }],
    cold_start_ms: { server: { median: 800 }, lambda: { median: 1200 } },
});

describe("advisor capacity model", () => {
    it("takes capacity per vCPU as predict-single throughput divided by the bench machine's cores", () => {
        const facts = serviceFacts(bench(4), DEFAULT_ASSUMPTIONS);
        assert.equal(facts.rpsPerVcpu, 200);
        assert.equal(facts.warmDurationMs, 4);
        assert.equal(facts.warmP99Ms, 20);
    });

    it("takes one core's throughput from predict-single-1core when the run has it", () => {
        const pinned = bench(4);
        pinned.cases.push({ name: "predict-single-1core", throughput_rps: 300, latency_ms: { p50: 2, p99: 6 }, peak_rss_mb: 400 });
        assert.equal(serviceFacts(pinned, DEFAULT_ASSUMPTIONS).rpsPerVcpu, 300);
    });

    it("strips queueing from a loaded p50 using Little's law (2 cores / 400 rps = 5 ms per request)", () => {
        assert.equal(serviceFacts(bench(50), DEFAULT_ASSUMPTIONS).warmDurationMs, 5);
    });

    it("takes the warm p99 from the half-load case when the run has one", () => {
        const withHalfLoad = bench(4);
        withHalfLoad.cases.push({ name: "predict-single-half-load", throughput_rps: 200, latency_ms: { p50: 1, p99: 3 }, peak_rss_mb: 400 });
        assert.equal(serviceFacts(withHalfLoad, DEFAULT_ASSUMPTIONS).warmP99Ms, 3);
    });

    it("keeps the full-load p99 when a disturbed run reports a worse tail at half load", () => {
        const disturbed = bench(4);
        disturbed.cases.push({ name: "predict-single-half-load", throughput_rps: 200, latency_ms: { p50: 200, p99: 1000 }, peak_rss_mb: 400 });
        assert.equal(serviceFacts(disturbed, DEFAULT_ASSUMPTIONS).warmP99Ms, 20);
    });

    it("serves 120 rps per 1-vCPU replica at 60% target utilisation", () => {
        assert.equal(unitCapacityRps(FACTS, 1, ASSUMPTIONS), 120);
    });

    it("rounds replicas up, keeps the floor, and does not add one for floating-point dust", () => {
        assert.equal(replicasFor(250, 120, 2), 3);
        assert.equal(replicasFor(10, 120, 2), 2);
        assert.equal(replicasFor(360, 120, 2), 3);
        assert.equal(replicasFor(0.1 * 3 * 1200, 120, 2), 3);
    });

    it("packs three 1-vCPU replicas on a 4-vCPU node after half a vCPU for system pods", () => {
        assert.equal(nodesFor(7, 4, ASSUMPTIONS), 3);
        assert.equal(nodesFor(9, 4, ASSUMPTIONS), 3);
        assert.equal(nodesFor(2, 4, ASSUMPTIONS), 2);
        assert.throws(() => nodesFor(2, 1, ASSUMPTIONS), /cannot hold/);
    });

    it("sizes Lambda to mean concurrency plus three Poisson standard deviations", () => {
        assert.equal(lambdaEnvironmentsFor(100, 40), 10); // mean 4, 4 + 3·2
        assert.equal(lambdaEnvironmentsFor(1, 4), 1);
        assert.equal(lambdaEnvironmentsFor(0, 4), 0);
    });

    it("gives Cloud Run at least one instance when there is traffic and the minimum when there is none", () => {
        assert.equal(instancesFor(250, 120, 0), 3);
        assert.equal(instancesFor(1, 120, 0), 1);
        assert.equal(instancesFor(0, 120, 0), 0);
        assert.equal(instancesFor(0, 120, 2), 2);
    });

    it("counts a cold start per unit added, wrapping Sunday night into Monday morning", () => {
        assert.deepEqual(coldStartsByHour([0, 10, 10, 0], [0, 2, 3, 0], 600), [0, 2, 1, 0]);
        assert.deepEqual(coldStartsByHour([10, 10], [3, 1], 600), [2, 0]);
        assert.deepEqual(startsByHour([2, 5, 3, 2]), [0, 3, 0, 0]);
    });

    it("counts requests that arrive after the keep-alive as cold: 0.001 rps → 3.6·e^-0.6 per hour", () => {
        const [cold] = coldStartsByHour([0.001], [1], 600);
        assert.ok(near(cold, 3.6 * Math.exp(-0.6)), `got ${cold}`);
    });

    it("bills a Cloud Run instance for the busy share of the hour with 100 ms rounding: 3600·(1 - e^-0.1) at 1 rps", () => {
        assert.ok(near(billedInstanceSeconds(1, 1, 4, 100), 3600 * (1 - Math.exp(-0.1))));
        assert.equal(billedInstanceSeconds(0, 1, 4, 100), 0);
    });

    it("gives Lambda at least 1,769 MB, or the peak RSS plus 25%", () => {
        assert.equal(lambdaMemoryMb(FACTS, DEFAULT_ASSUMPTIONS), 1769);
        assert.equal(lambdaMemoryMb({ ...FACTS, peakRssMb: 2000 }, DEFAULT_ASSUMPTIONS), 2500);
    });

    it("puts the p99 among cold requests once they are more than 1% of all requests", () => {
        assert.equal(p99WithColdStarts(2, 100, 1200, FACTS, ASSUMPTIONS), 1204);
        assert.equal(p99WithColdStarts(1, 1000, 1200, FACTS, ASSUMPTIONS), 20);
        assert.equal(p99WithColdStarts(0, 0, 1200, FACTS, ASSUMPTIONS), 20);
    });
});
