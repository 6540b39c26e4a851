// Cold start, measured from outside the process as a platform sees it:
// server — process spawn until the first 200 from POST /predict; Lambda — spawn of a fresh node process until
// the handler has answered one Function URL invocation (init + first invoke).
import * as path from "node:path";
import { freePort, spawnNode, waitForStatus } from "./processes";
import { median, round } from "./stats";

export interface ColdStartResult {
    median: number;
    runs: number[];
}

export interface LambdaColdStartResult extends ColdStartResult {
    /** Same runs, seen from inside the process: require(handler) and the first invocation. */
    in_process: { init_ms_median: number; invoke_ms_median: number };
}

function summarize(runs: number[]): ColdStartResult {
    return { median: round(median(runs)), runs: runs.map((r) => round(r)) };
}

export async function serverColdStart(
    entry: string,
    env: Record<string, string>,
    predictBody: string,
    runs: number,
    onRun: (run: number) => void,
): Promise<ColdStartResult> {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const port = await freePort();
        const start = performance.now();
        const proc = spawnNode(entry, { ...env, PORT: String(port) });
        try {
            await waitForStatus(proc, `http://127.0.0.1:${port}/predict`, "POST", predictBody, 30_000);
            times.push(performance.now() - start);
        } finally {
            await proc.stop();
        }
        onRun(i + 1);
    }
    return summarize(times);
}

/** API Gateway v2 / Function URL event (payload format 2.0) for POST `rawPath` with a JSON body. */
export function functionUrlEvent(rawPath: string, body: string): Record<string, unknown> {
    const now = new Date();
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: "",
        headers: { "content-type": "application/json", host: "bench.lambda-url.local" },
        requestContext: {
            accountId: "anonymous",
            apiId: "bench",
            domainName: "bench.lambda-url.local",
            domainPrefix: "bench",
            http: { method: "POST", path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
            requestId: "bench-cold-start",
            routeKey: "$default",
            stage: "$default",
            time: now.toUTCString(),
            timeEpoch: now.getTime(),
        },
        body,
        isBase64Encoded: false,
    };
}

interface InvokeReport {
    status: number;
    body: string;
    init_ms: number;
    invoke_ms: number;
}

export async function lambdaColdStart(
    handlerModule: string,
    env: Record<string, string>,
    predictBody: string,
    runs: number,
    onRun: (run: number) => void,
): Promise<LambdaColdStartResult> {
    const times: number[] = [];
    const inits: number[] = [];
    const invokes: number[] = [];
    const event = JSON.stringify(functionUrlEvent("/predict", predictBody));
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const proc = spawnNode(path.join(__dirname, "lambda-invoke.cjs"), { ...env, LAMBDA_EVENT: event }, [handlerModule]);
        try {
            const report = JSON.parse(await proc.stdoutLine((line) => line.startsWith("{"))) as InvokeReport;
            const elapsed = performance.now() - start;
            if (report.status !== 200) throw new Error(`Lambda handler answered ${report.status}: ${report.body}`);
            times.push(elapsed);
            inits.push(report.init_ms);
            invokes.push(report.invoke_ms);
        } finally {
            await proc.stop();
        }
        onRun(i + 1);
    }
    return {
        ...summarize(times),
        in_process: { init_ms_median: round(median(inits)), invoke_ms_median: round(median(invokes)) },
    };
}
