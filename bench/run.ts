// `npm run bench`: every case of bench/cases.ts against fresh processes on loopback, then the cold starts;
// prints the tables, writes latest.json + latest.svg. Progress goes to stderr, the tables to stdout.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defineCases, type HttpCase, type RawCase } from "./cases";
import { renderChartSvg } from "./chart";
import { lambdaColdStart, serverColdStart } from "./cold-start";
import { runClosedLoad, runPacedLoad, type LoadResult } from "./load";
import { readModelInfo, singlePredictBodies, featureRows } from "./payloads";
import { freePort, peakRssMb, repoRoot, spawnNode, waitForStatus, type SpawnedNode } from "./processes";
import { combineRounds, computeRatios, evaluateTargets, formatTables, type BenchResults, type CaseResult } from "./report";
import { parseSettings, USAGE, type BenchSettings } from "./settings";
import { round } from "./stats";

const serviceDir = path.join(repoRoot, "services", "inference");
const serverEntry = path.join(serviceDir, "dist", "server.js");
const lambdaEntry = path.join(serviceDir, "dist", "lambda.js");

const progress = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function newestMtime(dir: string): number {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((newest, e) => Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

/** The bench measures the compiled service, as deployed; rebuild it when a source is newer than dist/. */
function ensureServiceBuilt(): void {
    const stale = [serverEntry, lambdaEntry].some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < newestMtime(path.join(serviceDir, "src")));
    if (!stale) return;
    progress("building services/inference (dist/ is missing or older than src/)");
    const build = spawnSync("npm", ["run", "build", "-w", "services/inference"], { cwd: repoRoot, stdio: ["ignore", process.stderr, process.stderr] });
    if (build.status !== 0) throw new Error(`npm run build -w services/inference failed with ${build.status}`);
}

function serviceEnv(settings: BenchSettings, extra: Record<string, string>): Record<string, string> {
    return {
        MODEL_DIR: settings.modelDir,
        HOST: "127.0.0.1",
        LOG_LEVEL: settings.logLevel,
        // The cache would answer repeated bodies without the model; the bench measures the model path.
        CACHE_MAX_ENTRIES: "0",
        PREDICT_MAX_BATCH: String(Math.max(256, settings.batchSize)),
        ...extra,
    };
}

async function startServer(c: HttpCase, settings: BenchSettings): Promise<{ proc: SpawnedNode; url: string }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...serviceEnv(settings, c.env), PORT: String(port) };
    const proc = c.server === "bare" ? spawnNode(path.join(__dirname, "bare-server.ts"), env) : spawnNode(serverEntry, env);
    if (c.server === "bare") await waitForStatus(proc, `${url}${c.path}`, "POST", c.bodies[0], 30_000);
    else await waitForStatus(proc, `${url}/ready`, "GET", undefined, 30_000);
    return { proc, url };
}

function toCaseResult(c: HttpCase | RawCase, load: Omit<LoadResult, "requests" | "failures">, rssMb: number, requests: number, failures: number): CaseResult {
    return {
        name: c.name,
        description: c.description,
        rows_per_request: c.rowsPerRequest,
        throughput_rps: round(load.throughput_rps, 1),
        rows_per_sec: round(load.throughput_rps * c.rowsPerRequest, 1),
        latency_ms: { p50: round(load.latency_ms.p50, 3), p90: round(load.latency_ms.p90, 3), p99: round(load.latency_ms.p99, 3) },
        peak_rss_mb: round(rssMb, 1),
        requests,
        failures,
        duration_s: round(load.duration_s, 2),
    };
}

async function runHttpCase(c: HttpCase, settings: BenchSettings, done: readonly CaseResult[]): Promise<CaseResult> {
    const { proc, url } = await startServer(c, settings);
    try {
        const base = { url, path: c.path, bodies: c.bodies };
        await runClosedLoad({ ...base, connections: settings.connections, durationSec: settings.warmupSec });
        let load: LoadResult;
        if (c.pacedAt) {
            const reference = done.find((d) => d.name === c.pacedAt?.of);
            if (!reference) throw new Error(`${c.name} paces at a fraction of ${c.pacedAt.of}, which has not run`);
            load = await runPacedLoad({ ...base, ratePerSec: reference.throughput_rps * c.pacedAt.fraction, durationSec: settings.durationSec });
        } else {
            load = await runClosedLoad({ ...base, connections: settings.connections, durationSec: settings.durationSec });
        }
        return toCaseResult(c, load, peakRssMb(proc.child.pid as number), load.requests, load.failures);
    } finally {
        await proc.stop();
    }
}

async function runRawCase(c: RawCase, settings: BenchSettings): Promise<CaseResult> {
    const args = ["--model-dir", settings.modelDir, "--rows", String(c.rowsPerRequest), "--duration", String(settings.durationSec)];
    const proc = spawnNode(path.join(__dirname, "raw-session.ts"), {}, args);
    try {
        const line = await proc.stdoutLine((l) => l.startsWith("{"));
        const raw = JSON.parse(line) as Omit<LoadResult, "requests" | "failures"> & { runs: number; peak_rss_mb: number };
        return toCaseResult(c, raw, raw.peak_rss_mb, raw.runs, 0);
    } finally {
        await proc.stop();
    }
}

async function main(): Promise<void> {
    if (process.argv.includes("--help")) {
        console.log(USAGE);
        return;
    }
    const settings = parseSettings(process.argv.slice(2), repoRoot);
    if (!fs.existsSync(path.join(settings.modelDir, "model.onnx"))) throw new Error(`no model.onnx in ${settings.modelDir}; pass --model-dir`);
    const model = readModelInfo(settings.modelDir);
    const cases = defineCases(model, settings.batchSize).filter((c) => settings.only.length === 0 || settings.only.includes(c.name));
    const measureColdStart = settings.only.length === 0 || settings.only.includes("cold-start");
    if (measureColdStart || cases.some((c) => c.kind === "http" && c.server === "service")) ensureServiceBuilt();
    const loadBefore = os.loadavg();
    progress(`${settings.mode} mode: ${settings.rounds} rounds × ${cases.length} cases × (${settings.warmupSec} s warm-up + ${settings.durationSec} s), load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`);

    // Cases run in interleaved rounds so that every case sees the same mix of other jobs on the shared cores.
    const rounds: CaseResult[][] = [];
    for (let r = 1; r <= settings.rounds; r++) {
        const thisRound: CaseResult[] = [];
        for (const [i, c] of cases.entries()) {
            progress(`round ${r}/${settings.rounds} [${i + 1}/${cases.length}] ${c.name}: ${c.description}`);
            const result = c.kind === "raw" ? await runRawCase(c, settings) : await runHttpCase(c, settings, thisRound);
            progress(`    ${result.throughput_rps} req/s, ${result.rows_per_sec} rows/s, p99 ${result.latency_ms.p99} ms, peak RSS ${result.peak_rss_mb} MB, ${result.failures} failures`);
            thisRound.push(result);
        }
        rounds.push(thisRound);
    }
    const results = combineRounds(rounds);

    const coldStart: BenchResults["cold_start_ms"] = {};
    if (measureColdStart) {
        const body = singlePredictBodies(model.features, featureRows(model.features, 1, 7))[0];
        const onRun = (what: string) => (run: number) => progress(`    ${what} cold start ${run}/${settings.coldRuns}`);
        progress("cold start: server spawn → first 200 from POST /predict");
        coldStart.server = await serverColdStart(serverEntry, serviceEnv(settings, {}), body, settings.coldRuns, onRun("server"));
        progress("cold start: fresh node process → Lambda handler init + first invoke");
        coldStart.lambda = await lambdaColdStart(lambdaEntry, serviceEnv(settings, {}), body, settings.coldRuns, onRun("lambda"));
    }

    const ratios = computeRatios(results);
    const report: BenchResults = {
        measured_at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? "unknown", node: process.version, loadavg: loadBefore.map((l) => round(l)), loadavg_after: os.loadavg().map((l) => round(l)) },
        mode: settings.mode,
        settings: { rounds: settings.rounds, duration_s: settings.durationSec, warmup_s: settings.warmupSec, connections: settings.connections, batch_size: settings.batchSize, cold_runs: settings.coldRuns, log_level: settings.logLevel, model_dir: path.relative(repoRoot, settings.modelDir) },
        cases: results,
        cold_start_ms: coldStart,
        ratios,
        targets: evaluateTargets(results, ratios, coldStart),
    };
    fs.mkdirSync(settings.outDir, { recursive: true });
    fs.writeFileSync(path.join(settings.outDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(settings.outDir, "latest.svg"), await renderChartSvg(report));
    console.log(formatTables(report));
    progress(`wrote ${path.join(settings.outDir, "latest.json")} and latest.svg`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
