// Command-line settings of `npm run bench`, resolved from the flags and the mode's defaults.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_MODEL_DIR, SERVICE_DIR } from "../services/inference/src/config";

/** The model the service serves by default, as a path under the service directory (the bench follows it). */
export const DEFAULT_MODEL_SUBDIR = path.relative(SERVICE_DIR, DEFAULT_MODEL_DIR);

export interface BenchSettings {
    mode: "full" | "short";
    rounds: number;
    durationSec: number;
    warmupSec: number;
    coldRuns: number;
    /** taskset list for the process under a cold start; all cores when absent. */
    coldCpus?: string;
    connections: number;
    batchSize: number;
    logLevel: string;
    outDir: string;
    modelDir: string;
    /** Case names to run; empty runs them all. */
    only: string[];
    /** Write the result tables into docs/performance.md between its bench markers. */
    updateDocs: boolean;
    /** wrk2's executable: drives the open-loop case instead of the node open loop. */
    wrk2?: string;
}

const MODE_DEFAULTS: Record<BenchSettings["mode"], Pick<BenchSettings, "rounds" | "durationSec" | "warmupSec" | "coldRuns">> = {
    // 3 interleaved rounds of 5 s: tens of thousands of samples per case, and a median round per case.
    full: { rounds: 3, durationSec: 5, warmupSec: 1, coldRuns: 10 },
    // CI smoke test: every case and both cold starts run, numbers are only sanity-checked.
    short: { rounds: 1, durationSec: 1, warmupSec: 0.3, coldRuns: 2 },
};

export const USAGE = `npm run bench -- [options]
  --mode full|short     full (default): 3 rounds of 5 s per case, 10 cold starts; short: 1 round of 1 s, 2 cold starts
  --rounds N            interleaved rounds over all cases; each case reports its median round
  --duration SEC        measured seconds per case and round (overrides the mode)
  --warmup SEC          warm-up seconds per case before measuring
  --cold-runs N         cold-start runs per entry (median reported), each followed by one outside-reference run
  --cold-cpus LIST      taskset list for the process under a cold start (default: all cores)
  --connections N       concurrent connections for the closed-loop cases (default 16)
  --batch-size N        rows per request in the batch cases (default 128)
  --log-level LEVEL     service LOG_LEVEL during the load (default warn)
  --model-dir DIR       model.onnx + metadata.json (default: the model the service serves by default)
  --out DIR             where latest.json and latest.svg go (default bench/results)
  --only a,b            run only these cases (ratios and targets need their inputs)
  --update-docs         write the tables into docs/performance.md (between its bench:results markers)
  --wrk2 PATH           drive the open-loop (half-load) case with wrk2 at PATH (github.com/giltene/wrk2, built
                        with make; at least 10 s per round) instead of the node open loop, whose own timer jitter
                        on a shared core is in its tail (docs/performance.md)`;

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
    return value;
}

export function parseSettings(argv: string[], repoRoot: string): BenchSettings {
    const { values } = parseArgs({
        args: argv,
        options: {
            mode: { type: "string", default: "full" },
            rounds: { type: "string" },
            duration: { type: "string" },
            warmup: { type: "string" },
            "cold-runs": { type: "string" },
            "cold-cpus": { type: "string" },
            connections: { type: "string" },
            "batch-size": { type: "string" },
            "log-level": { type: "string", default: "warn" },
            "model-dir": { type: "string" },
            out: { type: "string" },
            only: { type: "string", default: "" },
            "update-docs": { type: "boolean", default: false },
            wrk2: { type: "string" },
        },
    });
    if (values.mode !== "full" && values.mode !== "short") throw new Error(`--mode must be full or short, got ${values.mode}`);
    const defaults = MODE_DEFAULTS[values.mode];
    return {
        mode: values.mode,
        rounds: Math.round(positiveNumber("rounds", values.rounds, defaults.rounds)),
        durationSec: positiveNumber("duration", values.duration, defaults.durationSec),
        warmupSec: positiveNumber("warmup", values.warmup, defaults.warmupSec),
        coldRuns: Math.round(positiveNumber("cold-runs", values["cold-runs"], defaults.coldRuns)),
        ...(values["cold-cpus"] ? { coldCpus: values["cold-cpus"] } : {}),
        connections: Math.round(positiveNumber("connections", values.connections, 16)),
        batchSize: Math.round(positiveNumber("batch-size", values["batch-size"], 128)),
        logLevel: values["log-level"],
        outDir: path.resolve(values.out ?? path.join(repoRoot, "bench", "results")),
        modelDir: path.resolve(values["model-dir"] ?? path.join(repoRoot, "services", "inference", DEFAULT_MODEL_SUBDIR)),
        only: values.only.split(",").map((s) => s.trim()).filter(Boolean),
        updateDocs: values["update-docs"],
        ...(values.wrk2 === undefined ? {} : { wrk2: executable("wrk2", values.wrk2) }),
    };
}

function executable(name: string, file: string): string {
    const resolved = path.resolve(file);
    const runnable = ((): boolean => {
        try {
            fs.accessSync(resolved, fs.constants.X_OK);
            return fs.statSync(resolved).isFile();
        } catch {
            return false;
        }
    })();
    if (!runnable) throw new Error(`--${name} ${JSON.stringify(file)} is not an executable file`);
    return resolved;
}
