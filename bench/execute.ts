// Running one bench case: starting its server (or the raw session loop) on loopback, warming it up, loading it
// (from this process or from a generator pinned to its own core), and reading its peak RSS. Shared by
// `npm run bench` (bench/run.ts) and the session-options experiment.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { HttpCase, RawCase } from "./cases";
import { runLoad } from "../tools/load/generator";
import { summarize, type LoadSummary } from "../tools/load/load-result";
import { processCpuMs } from "../tools/load/cpu";
import { MIB, processMemory } from "../tools/load/memory";
import { freePort, repoRoot, spawnNode, waitForStatus, type SpawnedNode } from "../tools/load/processes";
import { round } from "../tools/load/stats";
import type { CaseResult } from "./report";
import type { BenchSettings } from "./settings";

const serviceDir = path.join(repoRoot, "services", "inference");
export const serverEntry = path.join(serviceDir, "dist", "server.js");
export const lambdaEntry = path.join(serviceDir, "dist", "lambda.js");

export const progress = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function newestMtime(dir: string): number {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((newest, e) => Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

/** The bench measures the compiled service, as deployed; rebuild it when a source is newer than dist/. */
export function ensureServiceBuilt(): void {
    const built = [serverEntry, lambdaEntry].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
    const sources = Math.max(newestMtime(path.join(serviceDir, "src")), newestMtime(path.join(serviceDir, "scripts")));
    if (Math.min(...built) >= sources) return;
    progress("building services/inference (dist/ is missing or older than src/ or scripts/)");
    const build = spawnSync("npm", ["run", "build", "-w", "services/inference"], { cwd: repoRoot, stdio: ["ignore", process.stderr, process.stderr] });
    if (build.status !== 0) throw new Error(`npm run build -w services/inference failed with ${build.status}`);
}

export function serviceEnv(settings: BenchSettings, extra: Record<string, string>): Record<string, string> {
    return {
        MODEL_DIR: settings.modelDir,
        HOST: "127.0.0.1",
        LOG_LEVEL: settings.logLevel,
        // The cache would answer repeated bodies without the model; the bench measures the model path.
        CACHE_MAX_ENTRIES: "0",
        PREDICT_MAX_BATCH: String(Math.max(256, settings.batchSize)),
        // The event-loop-delay guard sheds load with 503s when the loop lags; on the bench's shared cores other
        // jobs trip it, and the bare server it is compared with has none. The bounded queue stays on.
        MAX_EVENT_LOOP_DELAY_MS: "0",
        ...extra,
    };
}

export async function startServer(c: HttpCase, settings: BenchSettings): Promise<{ proc: SpawnedNode; url: string }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...serviceEnv(settings, c.env), PORT: String(port) };
    const proc = spawnNode(c.server === "bare" ? path.join(__dirname, "bare-server.ts") : serverEntry, env, [], c.serverCpus);
    if (c.server === "bare") await waitForStatus(proc, `${url}${c.path}`, "POST", c.bodies[0], 30_000);
    else await waitForStatus(proc, `${url}/ready`, "GET", undefined, 30_000);
    return { proc, url };
}

function toCaseResult(c: HttpCase | RawCase, load: Omit<LoadSummary, "ok">, rssMb: number, cpuMsPerRequest: number): CaseResult {
    return {
        name: c.name,
        description: c.description,
        rows_per_request: c.rowsPerRequest,
        throughput_rps: round(load.throughput_rps, 1),
        rows_per_sec: round(load.throughput_rps * c.rowsPerRequest, 1),
        latency_ms: { p50: round(load.latency_ms.p50, 3), p90: round(load.latency_ms.p90, 3), p99: round(load.latency_ms.p99, 3) },
        peak_rss_mb: round(rssMb, 1),
        requests: load.requests,
        failures: load.failures,
        duration_s: round(load.duration_s, 2),
        cpu_ms_per_request: round(cpuMsPerRequest, 3),
    };
}

export async function runHttpCase(c: HttpCase, settings: BenchSettings, done: readonly CaseResult[]): Promise<CaseResult> {
    const { proc, url } = await startServer(c, settings);
    try {
        const base = {
            url,
            path: c.path,
            bodies: c.bodies,
            connections: c.connections ?? settings.connections,
            ...(c.headers ? { headers: c.headers } : {}),
            ...(c.bodyEncoding ? { bodyEncoding: c.bodyEncoding } : {}),
        };
        await runLoad({ loop: "closed", ...base, durationSec: settings.warmupSec }, c.generatorCpus);
        const pid = proc.child.pid as number;
        let paced: ((durationSec: number) => Parameters<typeof runLoad>[0]) | undefined;
        if (c.pacedAt) {
            const reference = done.find((d) => d.name === c.pacedAt?.of);
            if (!reference) throw new Error(`${c.name} paces at a fraction of ${c.pacedAt.of}, which has not run`);
            const ratePerSec = reference.throughput_rps * c.pacedAt.fraction;
            paced = (durationSec) => (settings.wrk2
                ? { loop: "wrk2", binary: settings.wrk2, ...base, ratePerSec, durationSec }
                : { loop: "open", ...base, ratePerSec, durationSec, warmupSec: settings.warmupSec });
            // A tail is a steady-state figure: the same paced load first, so that the young processes' JIT and heap
            // growth are not in it (a fresh server's first 10 s under wrk2 read p99 ~540 ms, the next ~4 ms). wrk2
            // warms up in a run of its own; the node open loop in the measuring process (runLoadHere).
            if (settings.wrk2) await runLoad(paced(settings.warmupSec), c.generatorCpus);
        }
        // The server's CPU over the measured load: the pinned generator's own start-up happens before its first
        // request, so it adds idle server time, not server CPU. Requests still in flight when the load stops are
        // served but not counted, so the figure leans high by up to connections/requests (a few % at 5 s).
        const cpuBefore = processCpuMs(pid);
        const load = await runLoad(paced ? paced(settings.durationSec) : { loop: "closed", ...base, durationSec: settings.durationSec }, c.generatorCpus);
        const cpuMs = processCpuMs(pid) - cpuBefore;
        if (load.sendLagP99Ms !== undefined && load.sendLagP99Ms > 1) progress(`    note: the generator sent p99 ${round(load.sendLagP99Ms)} ms behind schedule`);
        const summary = summarize(load, `${c.name} ${url}${c.path}`);
        return toCaseResult(c, summary, processMemory(pid).peakRssBytes / MIB, cpuMs / summary.ok);
    } finally {
        await proc.stop();
    }
}

export async function runRawCase(c: RawCase, settings: BenchSettings): Promise<CaseResult> {
    const args = ["--model-dir", settings.modelDir, "--rows", String(c.rowsPerRequest), "--duration", String(settings.durationSec)];
    const proc = spawnNode(path.join(__dirname, "raw-session.ts"), c.env ?? {}, args, c.cpus);
    try {
        const line = await proc.stdoutLine((l) => l.startsWith("{"));
        const raw = JSON.parse(line) as Omit<LoadSummary, "ok"> & { peak_rss_mb: number; cpu_ms_per_request: number };
        return toCaseResult(c, raw, raw.peak_rss_mb, raw.cpu_ms_per_request);
    } finally {
        await proc.stop();
    }
}
