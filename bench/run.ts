// `npm run bench`: every case of bench/cases.ts against fresh processes on loopback, then the cold starts;
// prints the tables, writes latest.json + latest.svg. Progress goes to stderr, the tables to stdout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defineCases, PINNED, pinnedLayoutAvailable } from "./cases";
import { renderChartSvg } from "./chart";
import { lambdaColdStart, serverColdStart } from "./cold-start";
import { imageSize } from "./image-size";
import { ensureServiceBuilt, lambdaEntry, progress, runHttpCase, runRawCase, serverEntry, serviceEnv } from "./execute";
import { featureRows, loadMetadata, singlePredictBodies } from "../tools/load/bodies";
import { repoRoot } from "../tools/load/processes";
import { combineRounds, computeRatios, evaluateTargets, formatTables, withResults, type BenchResults, type CaseResult } from "./report";
import { parseSettings, USAGE } from "./settings";
import { round } from "../tools/load/stats";

async function main(): Promise<void> {
    if (process.argv.includes("--help")) {
        console.log(USAGE);
        return;
    }
    const settings = parseSettings(process.argv.slice(2), repoRoot);
    if (!fs.existsSync(path.join(settings.modelDir, "model.onnx"))) throw new Error(`no model.onnx in ${settings.modelDir}; pass --model-dir`);
    const model = loadMetadata(settings.modelDir);
    const cases = defineCases(model, settings.batchSize).filter((c) => settings.only.length === 0 || settings.only.includes(c.name));
    const measureColdStart = settings.only.length === 0 || settings.only.includes("cold-start");
    if (measureColdStart || cases.some((c) => c.kind === "http" && c.server === "service")) ensureServiceBuilt();
    const loadBefore = os.loadavg();
    progress(`${settings.mode} mode: ${settings.rounds} rounds × ${cases.length} cases × (${settings.warmupSec} s warm-up + ${settings.durationSec} s), load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`);
    progress(
        pinnedLayoutAvailable()
            ? `pinned layout (cases marked "core ${PINNED.server}"): server taskset -c ${PINNED.server}, load generator taskset -c ${PINNED.generator} (a child process), ORT_INTRA_OP_THREADS=1; other cases: server and generator share all ${os.cpus().length} cores`
            : "one core only: the pinned cases run unpinned, their latency includes the generator's share of the core",
    );

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
        const predictBody = singlePredictBodies(model.features, featureRows(model.features, 1, 7))[0];
        const env = serviceEnv(settings, {});
        const common = { env, predictBody, runs: settings.coldRuns, ...(settings.coldCpus ? { cpus: settings.coldCpus } : {}) };
        const onRun = (what: string) => (run: number) => progress(`    ${what} cold start ${run}/${settings.coldRuns} (+ outside reference)`);
        const where = settings.coldCpus ? `measured process on core(s) ${settings.coldCpus}` : "measured process on all cores";
        progress(`cold start: server spawn → first 200 from POST /predict; ${where}`);
        coldStart.server = await serverColdStart({ ...common, entry: serverEntry, onRun: onRun("server") });
        progress(`cold start: fresh node process → Lambda handler init + first invoke; ${where}`);
        coldStart.lambda = await lambdaColdStart({ ...common, entry: lambdaEntry, onRun: onRun("lambda") });
    }

    const ratios = computeRatios(results);
    progress("image: production dependency tree, dist/ and models on disk");
    const report: BenchResults = {
        measured_at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? "unknown", node: process.version, loadavg: loadBefore.map((l) => round(l)), loadavg_after: os.loadavg().map((l) => round(l)) },
        mode: settings.mode,
        settings: {
            rounds: settings.rounds,
            duration_s: settings.durationSec,
            warmup_s: settings.warmupSec,
            connections: settings.connections,
            batch_size: settings.batchSize,
            cold_runs: settings.coldRuns,
            cold_cpus: settings.coldCpus ?? "all",
            pinned_layout: pinnedLayoutAvailable() ? { server: PINNED.server, generator: PINNED.generator } : "unavailable",
            log_level: settings.logLevel,
            model_dir: path.relative(repoRoot, settings.modelDir),
            open_loop_generator: settings.wrk2 ? "wrk2" : "node",
        },
        cases: results,
        cold_start_ms: coldStart,
        ratios,
        targets: evaluateTargets(results, ratios, coldStart),
        image_size: imageSize(repoRoot),
    };
    fs.mkdirSync(settings.outDir, { recursive: true });
    fs.writeFileSync(path.join(settings.outDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(settings.outDir, "latest.svg"), await renderChartSvg(report));
    console.log(formatTables(report));
    console.log(`\nload average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at the start, ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the end (${os.cpus().length} cores)`);
    const missed = report.targets.filter((t) => !t.met);
    const verdict = missed.length === 0 ? `VERDICT: all ${report.targets.length} targets met` : `VERDICT: ${missed.length} of ${report.targets.length} targets missed: ${missed.map((t) => t.name).join("; ")}`;
    console.log(verdict);
    if (settings.updateDocs) {
        const page = path.join(repoRoot, "docs", "performance.md");
        fs.writeFileSync(page, withResults(fs.readFileSync(page, "utf8"), report, verdict));
        progress(`wrote the tables into ${path.relative(repoRoot, page)}`);
    }
    progress(`wrote ${path.join(settings.outDir, "latest.json")} and latest.svg`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
