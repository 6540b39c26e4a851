// Load generation for the reliability tests and scripts: autocannon against a loopback server only.
import autocannon from "autocannon";

export interface LoadOptions {
    /** Base URL of the server under test; must be a loopback address. */
    url: string;
    path: string;
    connections: number;
    durationSeconds: number;
    /** Requests per second across all connections; closed loop (as fast as answers come) when absent. */
    overallRate?: number;
    /** A fresh JSON body per request (varied so the prediction cache cannot answer). */
    body: () => unknown;
}

export interface LoadResult {
    statuses: Record<number, number>;
    /** Milliseconds from send to response of every 200. */
    okLatencies: number[];
    /** Requests that got no HTTP response at all (socket errors, timeouts). */
    errors: number;
    durationSeconds: number;
}

export function assertLoopback(url: string): void {
    const { hostname } = new URL(url);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname)) throw new Error(`load is only ever sent to loopback, not ${hostname}`);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
    assertLoopback(options.url);
    const statuses: Record<number, number> = {};
    const okLatencies: number[] = [];
    let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
    const done = new Promise<autocannon.Result>((resolve, reject) => {
        finish = (error, result) => (error ? reject(error) : resolve(result));
    });
    const instance = autocannon({
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        timeout: 10,
        requests: [{
            method: "POST",
            path: options.path,
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: JSON.stringify(options.body()) }),
        }],
    }, (error, result) => finish(error, result));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
        if (statusCode === 200) okLatencies.push(responseTime);
    });
    const result = await done;
    return { statuses, okLatencies, errors: result.errors, durationSeconds: options.durationSeconds };
}

/** Nearest-rank percentile; `p` in (0, 100]. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resident set size of a local process in bytes, from /proc (Linux). */
export async function residentBytes(pid: number): Promise<number> {
    const { readFile } = await import("node:fs/promises");
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (!kb) throw new Error(`no VmRSS for process ${pid}`);
    return Number(kb[1]) * 1024;
}

/** A valid /predict body for a random property inside the bundled model's ranges. */
export function randomProperty(): Record<string, number> {
    return {
        square_feet: 500 + Math.round(Math.random() * 4000),
        bedrooms: 1 + Math.floor(Math.random() * 6),
        bathrooms: 1 + Math.round(Math.random() * 6) / 2,
        location_score: Math.round(Math.random() * 1000) / 100,
        market_trend: Math.round((Math.random() * 10 - 5) * 100) / 100,
    };
}
