// HTTP load on loopback. Maximum throughput comes from autocannon (closed loop: each connection sends its next
// request when the previous one answers). Latency "at half of the maximum throughput" needs an open loop at a
// steady rate, which autocannon's overallRate is not: its clients send their whole per-second quota at full
// speed at the start of each second (lib/httpClient.js, reqsMadeThisSecond), so the p99 would measure that burst.
import autocannon from "autocannon";
import * as http from "node:http";
import { latencyPercentiles, type LatencyPercentiles } from "./stats";

export interface LoadResult {
    requests: number;
    /** Responses that were not 2xx plus connection errors and timeouts. */
    failures: number;
    duration_s: number;
    throughput_rps: number;
    latency_ms: LatencyPercentiles;
}

export interface ClosedLoadOptions {
    url: string;
    path: string;
    bodies: readonly string[];
    connections: number;
    durationSec: number;
}

/** autocannon at full speed; each connection cycles through `bodies` so inputs vary. */
export async function runClosedLoad(options: ClosedLoadOptions): Promise<LoadResult> {
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
            {
                url: options.url,
                connections: options.connections,
                duration: options.durationSec,
                requests: options.bodies.map((body) => ({
                    method: "POST" as const,
                    path: options.path,
                    headers: { "content-type": "application/json" },
                    body,
                })),
            },
            (error, finished) => (error ? reject(error) : resolve(finished)),
        );
        // autocannon's own histogram has 1 ms resolution; sub-millisecond latencies need the raw response times.
        instance.on("response", (_client, statusCode, _bytes, responseTime) => {
            if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
        });
    });
    const ok = result["2xx"];
    if (ok === 0) throw new Error(`no 2xx answer from ${options.url}${options.path} (non-2xx ${result.non2xx}, errors ${result.errors})`);
    return {
        requests: ok + result.non2xx + result.errors + result.timeouts,
        failures: result.non2xx + result.errors + result.timeouts,
        duration_s: result.duration,
        throughput_rps: ok / result.duration,
        latency_ms: latencyPercentiles(latencies),
    };
}

export interface PacedLoadOptions {
    url: string;
    path: string;
    bodies: readonly string[];
    /** Sockets at most, as many as the closed-loop cases use: beyond the service's admission limit it answers 503. */
    connections: number;
    ratePerSec: number;
    durationSec: number;
}

/** Send times of a constant-rate schedule, in ms from the start. Pure, so the pacing is unit-tested. */
export function arrivalSchedule(ratePerSec: number, durationSec: number): number[] {
    const count = Math.max(1, Math.floor(ratePerSec * durationSec));
    const intervalMs = 1000 / ratePerSec;
    return Array.from({ length: count }, (_, i) => i * intervalMs);
}

/**
 * Open loop: requests leave on a fixed schedule whether or not earlier ones have answered, and each latency is
 * counted from the scheduled send time, so a stalled server cannot hide its queue (coordinated omission).
 */
export async function runPacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
    const schedule = arrivalSchedule(options.ratePerSec, options.durationSec);
    // A request that finds every socket busy waits in the agent; its latency still counts from its scheduled time.
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
    const target = new URL(options.path, options.url);
    const latencies: number[] = [];
    let failures = 0;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];

    const send = (scheduledAt: number, body: string): Promise<void> =>
        new Promise((resolve) => {
            const req = http.request(
                target,
                { method: "POST", agent, headers: { "content-type": "application/json" } },
                (res) => {
                    res.resume();
                    res.on("end", () => {
                        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
                            latencies.push(performance.now() - start - scheduledAt);
                        } else {
                            failures++;
                        }
                        resolve();
                    });
                },
            );
            req.on("error", () => {
                failures++;
                resolve();
            });
            req.end(body);
        });

    let next = 0;
    await new Promise<void>((done) => {
        const tick = (): void => {
            const now = performance.now() - start;
            while (next < schedule.length && schedule[next] <= now) {
                inFlight.push(send(schedule[next], options.bodies[next % options.bodies.length]));
                next++;
            }
            if (next < schedule.length) setTimeout(tick, Math.max(0, schedule[next] - now - 0.5));
            else done();
        };
        tick();
    });
    await Promise.all(inFlight);
    const durationS = (performance.now() - start) / 1000;
    agent.destroy();
    if (latencies.length === 0) throw new Error(`no 2xx answer from ${target.href} in the paced run`);
    return {
        requests: schedule.length,
        failures,
        duration_s: durationS,
        throughput_rps: latencies.length / durationS,
        latency_ms: latencyPercentiles(latencies),
    };
}
