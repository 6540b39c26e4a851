// Cold start, measured from outside the process as a platform sees it, with a per-phase breakdown of the same
// runs and, interleaved with them, the plain outside reference (tools/load/cold-start-reference.cjs) they must
// agree with:
// server — process spawn until the first 200 from POST /predict;
// Lambda — spawn of a fresh node process until the handler has answered one Function URL invocation.
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, repoRoot, spawnNode, waitForStatus } from "../tools/load/processes";
import { median, round } from "../tools/load/stats";
import { breakdown, type Marks, type Phase } from "./startup-phases";

export interface ColdStartResult {
    median: number;
    runs: number[];
    /** The outside reference, run interleaved with `runs` (same machine, same minutes). */
    reference: { median: number; runs: number[] };
    /** median / reference median: 1 means the harness adds nothing. */
    vs_reference: number;
    /** Median of each phase over the runs (wall ms, CPU ms of the measured process). */
    phases: Phase[];
    /** taskset list of the measured process, or "all". */
    cpus: string;
    /** How often each code-cache outcome occurred over the runs, e.g. {"used": 10}. */
    code_cache?: Record<string, number>;
    /** CPU the bench process itself used per instrumented run (median): what the harness takes from the machine. */
    harness_cpu_ms?: number;
    /** 1-minute load average when the runs started and ended. */
    loadavg?: [number, number];
}

export interface ColdStartOptions {
    entry: string;
    env: Record<string, string>;
    predictBody: string;
    runs: number;
    cpus?: string;
    onRun: (run: number) => void;
}

const MARKS_PRELOAD = path.join(repoRoot, "tools", "load", "startup-marks.cjs");
const REFERENCE = path.join(repoRoot, "tools", "load", "cold-start-reference.cjs");
const epochNow = (): number => performance.timeOrigin + performance.now();

/** One run of the outside reference (its own process spawns and times the entry). */
function referenceRun(kind: "server" | "lambda", options: ColdStartOptions, extraEnv: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [REFERENCE, kind, options.entry, "1"], {
            cwd: repoRoot,
            env: { ...process.env, ...options.env, ...extraEnv, ...(options.cpus ? { COLD_START_CPUS: options.cpus } : {}) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (err = (err + c.toString("utf8")).slice(-4000)));
        child.on("close", (code) => {
            if (code !== 0) reject(new Error(`cold-start reference (${kind}) exited with ${code}: ${err}`));
            else resolve((JSON.parse(out) as { runs_ms: number[] }).runs_ms[0]);
        });
    });
}

const cpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
};

function summarize(runs: number[], reference: number[], marks: Marks[], cpus: string | undefined, harnessCpu: number[], loadStart: number): ColdStartResult {
    const mid = median(runs);
    const refMid = median(reference);
    return {
        median: round(mid),
        runs: runs.map((r) => round(r)),
        reference: { median: round(refMid), runs: reference.map((r) => round(r)) },
        vs_reference: round(mid / refMid, 3),
        phases: breakdown(marks),
        cpus: cpus ?? "all",
        harness_cpu_ms: round(median(harnessCpu), 1),
        loadavg: [round(loadStart), round(os.loadavg()[0])],
        code_cache: marks.reduce<Record<string, number>>((counts, m) => ({ ...counts, [m.code_cache ?? "none"]: (counts[m.code_cache ?? "none"] ?? 0) + 1 }), {}),
    };
}

export async function serverColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
    const times: number[] = [];
    const reference: number[] = [];
    const marks: Marks[] = [];
    const harnessCpu: number[] = [];
    const loadStart = os.loadavg()[0];
    for (let i = 0; i < options.runs; i++) {
        const port = await freePort();
        const cpuBefore = cpuMs();
        const start = epochNow();
        const proc = spawnNode(options.entry, { ...options.env, PORT: String(port) }, [], options.cpus, ["-r", MARKS_PRELOAD]);
        try {
            await waitForStatus(proc, `http://127.0.0.1:${port}/predict`, "POST", options.predictBody, 30_000);
            const seen = epochNow();
            harnessCpu.push(cpuMs() - cpuBefore);
            times.push(seen - start);
            const line = await proc.stderrLine((l) => l.startsWith("startup-marks "));
            marks.push({ spawn: start, seen, ...JSON.parse(line.slice("startup-marks ".length)) });
        } finally {
            await proc.stop();
        }
        reference.push(await referenceRun("server", options, { COLD_START_BODY: options.predictBody }));
        options.onRun(i + 1);
    }
    return summarize(times, reference, marks, options.cpus, harnessCpu, loadStart);
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
    marks: Omit<Marks, "spawn" | "seen">;
}

export async function lambdaColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
    const times: number[] = [];
    const reference: number[] = [];
    const marks: Marks[] = [];
    const event = JSON.stringify(functionUrlEvent("/predict", options.predictBody));
    const harnessCpu: number[] = [];
    const loadStart = os.loadavg()[0];
    for (let i = 0; i < options.runs; i++) {
        const cpuBefore = cpuMs();
        const start = epochNow();
        const proc = spawnNode(path.join(__dirname, "lambda-invoke.cjs"), { ...options.env, LAMBDA_EVENT: event }, [options.entry], options.cpus);
        try {
            const line = await proc.stdoutLine((l) => l.startsWith('{"status"'));
            const seen = epochNow();
            harnessCpu.push(cpuMs() - cpuBefore);
            const report = JSON.parse(line) as InvokeReport;
            if (report.status !== 200) throw new Error(`Lambda handler answered ${report.status}: ${report.body}`);
            times.push(seen - start);
            marks.push({ spawn: start, seen, ...report.marks });
        } finally {
            await proc.stop();
        }
        reference.push(await referenceRun("lambda", options, { COLD_START_EVENT: event }));
        options.onRun(i + 1);
    }
    return summarize(times, reference, marks, options.cpus, harnessCpu, loadStart);
}
