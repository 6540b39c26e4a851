/** From a benchmark results file (bench/results/latest.json) to the numbers the capacity model needs. */
import type { Assumptions, ServiceFacts } from "./types";

/** The part of the benchmark results contract the advisor reads (validated by schemas/bench-results.schema.json). */
export interface BenchResults {
    measured_at: string;
    machine: { cpus: number };
    cases: { name: string; throughput_rps: number; latency_ms: { p50: number; p99: number }; peak_rss_mb: number }[];
    cold_start_ms: { server: { median: number }; lambda: { median: number } };
}

/**
 * predict-single is the case that matches one user request. The benchmark drives all the machine's
 * cores, so one core serves throughput/cpus requests per second, and a core counts as
 * `vcpuPerBenchCore` cloud vCPUs. When the run has predict-single-1core (the server alone on one core, the
 * load generator on another), that is one core's throughput measured directly and is taken instead: the
 * all-cores case shares its cores with the generator and understates a core.
 *
 * The warm p99 comes from predict-single-half-load when the run has it: that case is measured at half
 * of the maximum throughput, close to the 60% utilisation the autoscalers aim for, while a saturated
 * load test's p99 is mostly queueing. Half load cannot honestly have a worse tail than full load; when a
 * run says so, something else disturbed it (a busy machine), and the lower of the two is taken.
 *
 * The warm duration is what one request costs when nothing queues in front of it. Under a load test
 * p50 may include queueing: by Little's law the requests in flight are throughput·p50; when that exceeds
 * the cores, each request really needs only cpus/throughput seconds. So: min(p50, cpus/throughput).
 */
export function serviceFacts(bench: BenchResults, a: Assumptions): ServiceFacts {
    const single = bench.cases.find((c) => c.name === "predict-single");
    if (!single) {
        throw new Error("benchmark results have no predict-single case");
    }
    const halfLoad = bench.cases.find((c) => c.name === "predict-single-half-load");
    const oneCore = bench.cases.find((c) => c.name === "predict-single-1core");
    const cpuMsPerRequest = (bench.machine.cpus * 1000) / single.throughput_rps;
    return {
        measuredAt: bench.measured_at,
        rpsPerVcpu: (oneCore ? oneCore.throughput_rps : single.throughput_rps / bench.machine.cpus) / a.vcpuPerBenchCore,
        warmDurationMs: Math.min(single.latency_ms.p50, cpuMsPerRequest),
        warmP99Ms: Math.min(single.latency_ms.p99, halfLoad?.latency_ms.p99 ?? Number.POSITIVE_INFINITY),
        peakRssMb: single.peak_rss_mb,
        serverColdStartMs: bench.cold_start_ms.server.median,
        lambdaColdStartMs: bench.cold_start_ms.lambda.median,
    };
}
