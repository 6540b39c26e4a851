// Latency at a set request rate: an open loop. Requests leave on a fixed schedule whether or not earlier ones
// have answered, and each latency is counted from the request's scheduled send time, so neither a stalled server
// nor a stalled generator can hide its queue (coordinated omission). autocannon's overallRate is not this: its
// clients send each second's quota in a burst at the start of the second (lib/httpClient.js,
// reqsMadeThisSecond), so a p99 under overallRate measures that burst.
import * as http from "node:http";
import { wireBody, type ClosedLoopOptions } from "./closed-loop";
import { assertLoopback, type LoadResult } from "./load-result";
import { percentile } from "./stats";

export interface OpenLoopOptions {
    url: string;
    path: string;
    bodies: readonly string[] | (() => string);
    /** Sockets at most; a request that finds them all busy waits in the agent, its latency still counting. */
    connections: number;
    ratePerSec: number;
    durationSec: number;
    headers?: Record<string, string>;
    bodyEncoding?: ClosedLoopOptions["bodyEncoding"];
}

/** Send times of a constant-rate schedule, in ms from the start. Pure, so the pacing is unit-tested. */
export function arrivalSchedule(ratePerSec: number, durationSec: number): number[] {
    const count = Math.max(1, Math.floor(ratePerSec * durationSec));
    const intervalMs = 1000 / ratePerSec;
    return Array.from({ length: count }, (_, i) => i * intervalMs);
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
    assertLoopback(options.url);
    const schedule = arrivalSchedule(options.ratePerSec, options.durationSec);
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
    const target = new URL(options.path, options.url);
    const statuses: Record<number, number> = {};
    const okLatenciesMs: number[] = [];
    const sendLagMs: number[] = [];
    let errors = 0;
    const { bodies } = options;
    const nextBody = (i: number): string | Buffer => wireBody(typeof bodies === "function" ? bodies() : bodies[i % bodies.length], options.bodyEncoding);
    const headers = options.headers ?? { "content-type": "application/json" };
    const start = performance.now();
    const inFlight: Promise<void>[] = [];

    const send = (scheduledAt: number, body: string | Buffer): Promise<void> =>
        new Promise((resolve) => {
            const req = http.request(target, { method: "POST", agent, headers }, (res) => {
                res.resume();
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    statuses[status] = (statuses[status] ?? 0) + 1;
                    if (status >= 200 && status < 300) okLatenciesMs.push(performance.now() - start - scheduledAt);
                    resolve();
                });
            });
            req.on("error", () => {
                errors++;
                resolve();
            });
            req.end(body);
        });

    let next = 0;
    await new Promise<void>((done) => {
        const tick = (): void => {
            const now = performance.now() - start;
            while (next < schedule.length && schedule[next] <= now) {
                sendLagMs.push(now - schedule[next]);
                inFlight.push(send(schedule[next], nextBody(next)));
                next++;
            }
            if (next < schedule.length) setTimeout(tick, Math.max(0, schedule[next] - now - 0.5));
            else done();
        };
        tick();
    });
    await Promise.all(inFlight);
    const durationSec = (performance.now() - start) / 1000;
    agent.destroy();
    return { statuses, okLatenciesMs, errors, durationSec, sendLagP99Ms: percentile(sendLagMs, 99) };
}
