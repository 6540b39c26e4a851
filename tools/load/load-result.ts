// What one load run measured, the same for the closed loop (autocannon) and the open loops (paced in node, or wrk2).
import { latencyPercentiles, type LatencyPercentiles } from "./stats";

export interface LoadResult {
    /** Answers by HTTP status. */
    statuses: Record<number, number>;
    /** Milliseconds to the end of each 2xx answer: from its send (closed loop) or its scheduled send (open loop). */
    okLatenciesMs: number[];
    /** Requests that got no HTTP answer at all: socket errors and timeouts. */
    errors: number;
    durationSec: number;
    /** Open loop only: how late the generator sent requests behind their schedule (p99, ms); large means it could not keep up. */
    sendLagP99Ms?: number;
    /** wrk2 only: its HdrHistogram's percentiles, in place of samples (okLatenciesMs is then empty). */
    latencyMs?: LatencyPercentiles;
}

export interface LoadSummary {
    requests: number;
    ok: number;
    /** Answers that were not 2xx plus requests with no answer. */
    failures: number;
    duration_s: number;
    /** 2xx answers per second. */
    throughput_rps: number;
    latency_ms: LatencyPercentiles;
}

export function okCount(result: LoadResult): number {
    return Object.entries(result.statuses).reduce((n, [status, count]) => (Number(status) >= 200 && Number(status) < 300 ? n + count : n), 0);
}

/** The figures a report needs; throws when nothing succeeded (a load test that measured nothing). */
export function summarize(result: LoadResult, what: string): LoadSummary {
    const ok = okCount(result);
    const answered = Object.values(result.statuses).reduce((a, b) => a + b, 0);
    if (ok === 0) throw new Error(`no 2xx answer from ${what} (statuses ${JSON.stringify(result.statuses)}, ${result.errors} errors)`);
    return {
        requests: answered + result.errors,
        ok,
        failures: answered - ok + result.errors,
        duration_s: result.durationSec,
        throughput_rps: ok / result.durationSec,
        latency_ms: result.latencyMs ?? latencyPercentiles(result.okLatenciesMs),
    };
}

export function assertLoopback(url: string): void {
    const { hostname } = new URL(url);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname)) throw new Error(`load is only ever sent to loopback, not ${hostname}`);
}
