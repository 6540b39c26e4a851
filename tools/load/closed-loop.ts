// Maximum throughput: autocannon in a closed loop (each connection sends its next request when the previous
// one has answered). Its latency is fine for the saturated case it measures, not for latency at a set rate:
// that needs the open loop (open-loop.ts).
import autocannon from "autocannon";
import { assertLoopback, type LoadResult } from "./load-result";

export interface ClosedLoopOptions {
    url: string;
    path: string;
    /** Bodies sent in turn (each connection cycles through them), or a fresh body per request. */
    bodies: readonly string[] | (() => string);
    connections: number;
    durationSec: number;
    /** Seconds without an answer before a request counts as an error. */
    timeoutSec?: number;
    /** Request headers; JSON content by default. */
    headers?: Record<string, string>;
    /** "base64": each body is binary, given base64-encoded (it may cross a process boundary as JSON). */
    bodyEncoding?: "utf8" | "base64";
}

/** The body as sent on the wire. */
export function wireBody(body: string, encoding: ClosedLoopOptions["bodyEncoding"]): string | Buffer {
    return encoding === "base64" ? Buffer.from(body, "base64") : body;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
    assertLoopback(options.url);
    const statuses: Record<number, number> = {};
    const okLatenciesMs: number[] = [];
    const base = { method: "POST" as const, path: options.path, headers: options.headers ?? { "content-type": "application/json" } };
    const { bodies } = options;
    const requests = typeof bodies === "function"
        ? [{ ...base, setupRequest: (request: autocannon.Request) => ({ ...request, body: wireBody(bodies(), options.bodyEncoding) }) }]
        : bodies.map((body) => ({ ...base, body: wireBody(body, options.bodyEncoding) }));
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
            { url: options.url, connections: options.connections, duration: options.durationSec, timeout: options.timeoutSec ?? 10, requests },
            (error, finished) => (error ? reject(error) : resolve(finished)),
        );
        // autocannon's own histogram has 1 ms resolution; sub-millisecond latencies need the raw response times.
        instance.on("response", (_client, statusCode, _bytes, responseTime) => {
            statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
            if (statusCode >= 200 && statusCode < 300) okLatenciesMs.push(responseTime);
        });
    });
    return { statuses, okLatenciesMs, errors: result.errors /* includes its timeouts */, durationSec: result.duration };
}
