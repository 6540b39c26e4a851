// `npm run model:compare-cost`: inference cost per row of two model versions through onnxruntime-node, raw
// session.run in-process (no HTTP, no JSON), single rows and batches of 128, interleaved in one run so both
// versions see the same machine load. Sessions are built exactly as the service builds them (ORT_* variables).
// Rows: real sales (--data, features derived from each model's own metadata tables) or the load tools' seeded in-range rows.
// Writes training/results/compare-cost.json and .svg; prints the ratio candidate / baseline per case.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { parseConfig } from "../services/inference/src/config";
import { featureRows } from "../tools/load/bodies";
import { sessionOptions } from "../services/inference/src/model/loader";
import { integerFlag, parseCliArgs, runCli } from "./cli";
import { readSalesCsv } from "./csv";
import { columnsOf, saleFeatures } from "./features";
import { DEFAULT_MODEL_DIR, readMetadata } from "./metadata";
import { median } from "./stats";

const USAGE = `usage: npm run model:compare-cost -- [--data <csv>] [--baseline <dir>] [--candidate <dir>] [--rounds N] [--ms N]

  --data <csv>        real sales to run (recommended); without it, seeded rows inside each input's range
  --baseline <dir>    default services/inference/models/property-valuation/1
  --candidate <dir>   default services/inference/models/property-valuation/2
  --rounds <n>        alternating rounds per case, 1 … 500 (default 41); the median of the rounds' ratios is reported
  --ms <n>            milliseconds per model per round, 50 … 10000 (default 200)`;

export const BATCH_SIZES = [1, 128] as const;
const OUT_DIR = path.join(__dirname, "results");

interface Loaded {
    label: string;
    session: ort.InferenceSession;
    /** Pre-packed input tensors per batch size, cycling through the rows. */
    inputs: Map<number, ort.Tensor[]>;
}

/** Rows for one model: the same houses for every model, cut to the columns its metadata lists. */
function rowsFor(modelDir: string, data: string | undefined, count: number): number[][] {
    const metadata = readMetadata(modelDir);
    if (data === undefined) return featureRows(metadata.features, count);
    const columns = columnsOf(metadata.features.map((f) => f.name));
    const rows: number[][] = [];
    for (const sale of readSalesCsv(data).sales) {
        const result = saleFeatures(sale, metadata.location_scores, metadata.market_index.months);
        if ("features" in result) rows.push(columns.map((c) => result.features[c]));
        if (rows.length === count) break;
    }
    return rows;
}

async function load(label: string, modelDir: string, data: string | undefined): Promise<Loaded> {
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"), sessionOptions(parseConfig(process.env).session));
    const rows = rowsFor(modelDir, data, 4096);
    const width = rows[0].length;
    const inputs = new Map(BATCH_SIZES.map((size) => [size, Array.from({ length: 32 }, (_, b) => {
        const packed = new Float32Array(size * width);
        for (let r = 0; r < size; r++) packed.set(rows[(b * size + r) % rows.length], r * width);
        return new ort.Tensor("float32", packed, [size, width]);
    })]));
    return { label, session, inputs };
}

/**
 * Rows per second of session.run over `ms` milliseconds: per wall-clock second, and per CPU second of this process
 * (user + system). On a machine shared with other work, preemption inflates wall time but not CPU time, so with one
 * intra-op thread the CPU figure is the steadier measure of the model's own cost.
 */
async function rowsPerSecond(model: Loaded, size: number, ms: number): Promise<{ wall: number; cpu: number }> {
    const inputs = model.inputs.get(size) as ort.Tensor[];
    for (let i = 0; i < 20; i++) await model.session.run({ features: inputs[i % inputs.length] });
    let runs = 0;
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
        await model.session.run({ features: inputs[runs % inputs.length] });
        runs++;
        now = performance.now();
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { wall: (runs * size * 1000) / (now - start), cpu: (runs * size * 1e6) / (cpu.user + cpu.system) };
}

export interface CostCase {
    batch: number;
    /** Medians over rounds, rows per CPU second of the process and per wall-clock second. */
    baseline: { cpu: number; wall: number };
    candidate: { cpu: number; wall: number };
    /** Median over rounds of candidate / baseline (both sides of a round ran back to back), and the round range. */
    ratio: { cpu: number; wall: number };
    ratio_range: { cpu: number[]; wall: number[] };
}

function chart(cases: CostCase[], labels: [string, string], subtitle: string): TopLevelSpec {
    const values = cases.flatMap((c) => [
        { batch: `batch ${c.batch}`, model: labels[0], rows_per_s: c.baseline.cpu },
        { batch: `batch ${c.batch}`, model: labels[1], rows_per_s: c.candidate.cpu },
    ]);
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: { text: "raw session.run rows per CPU second (median round)", subtitle },
        data: { values },
        facet: { column: { field: "batch", type: "nominal", title: null } },
        spec: {
            width: 180,
            mark: "bar",
            encoding: {
                x: { field: "model", type: "nominal", title: null },
                y: { field: "rows_per_s", type: "quantitative", title: "rows / CPU s" },
                color: { field: "model", type: "nominal", legend: null },
            },
        },
        resolve: { scale: { y: "independent" } },
    };
}

export async function compareCostCommand(argv: string[]): Promise<void> {
    const args = parseCliArgs(argv, {
        data: { type: "string" }, baseline: { type: "string" }, candidate: { type: "string" }, rounds: { type: "string" },
        ms: { type: "string" }, help: { type: "boolean" },
    });
    if (args.help) {
        console.log(USAGE);
        return;
    }
    const rounds = integerFlag("rounds", args.rounds as string | undefined, 41, 1, 500);
    const ms = integerFlag("ms", args.ms as string | undefined, 200, 50, 10000);
    const data = args.data as string | undefined;
    const baselineDir = path.resolve((args.baseline as string | undefined) ?? path.join(DEFAULT_MODEL_DIR, "..", "1"));
    const candidateDir = path.resolve((args.candidate as string | undefined) ?? DEFAULT_MODEL_DIR);
    const models = [await load(`v${readMetadata(baselineDir).version}`, baselineDir, data),
        await load(`v${readMetadata(candidateDir).version}`, candidateDir, data)];
    const cases: CostCase[] = [];
    for (const size of BATCH_SIZES) {
        const perRound: Array<Array<{ wall: number; cpu: number }>> = [];
        for (let r = 0; r < rounds; r++) {
            // Alternate which model goes first, so a load change within a round does not favour one side.
            const order = r % 2 === 0 ? [0, 1] : [1, 0];
            const result = [{ wall: 0, cpu: 0 }, { wall: 0, cpu: 0 }];
            for (const m of order) result[m] = await rowsPerSecond(models[m], size, ms);
            perRound.push(result);
            if ((r + 1) % 10 === 0 || r + 1 === rounds) console.error(`batch ${size}: round ${r + 1}/${rounds}`);
        }
        const side = (m: number) => ({ cpu: Math.round(median(perRound.map((p) => p[m].cpu))), wall: Math.round(median(perRound.map((p) => p[m].wall))) });
        const ratios = (kind: "cpu" | "wall") => perRound.map((p) => p[1][kind] / p[0][kind]);
        const r3 = (v: number) => Math.round(v * 1000) / 1000;
        cases.push({ batch: size, baseline: side(0), candidate: side(1),
            ratio: { cpu: r3(median(ratios("cpu"))), wall: r3(median(ratios("wall"))) },
            ratio_range: { cpu: [r3(Math.min(...ratios("cpu"))), r3(Math.max(...ratios("cpu")))],
                wall: [r3(Math.min(...ratios("wall"))), r3(Math.max(...ratios("wall")))] } });
    }
    for (const m of models) await m.session.release();
    const load1 = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    const result = {
        measured_at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? "unknown", loadavg: os.loadavg(), node: process.version },
        rows: data === undefined ? "seeded in-range rows" : `real sales from ${path.basename(data)}`,
        intra_op_threads: process.env.ORT_INTRA_OP_THREADS ?? "default",
        baseline: baselineDir, candidate: candidateDir, cases,
    };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, "compare-cost.json"), JSON.stringify({ ...result,
        baseline: path.relative(process.cwd(), baselineDir), candidate: path.relative(process.cwd(), candidateDir) }, null, 2) + "\n");
    const view = new vega.View(vega.parse(compile(chart(cases, [models[0].label, models[1].label],
        `${result.machine.cpus} × ${result.machine.cpu_model}, load ${load1}, ${result.rows}`)).spec), { renderer: "none" });
    fs.writeFileSync(path.join(OUT_DIR, "compare-cost.svg"), await view.toSVG());
    const threads = process.env.ORT_INTRA_OP_THREADS ?? "default";
    console.log(`raw session.run, ${rounds} alternating rounds of ${ms} ms per model (ORT_INTRA_OP_THREADS ${threads}; load ${load1}; ${result.rows})`);
    for (const c of cases) {
        console.log(`batch ${String(c.batch).padStart(3)}: rows per CPU s ${models[0].label} ${c.baseline.cpu}, ${models[1].label} ${c.candidate.cpu}, ` +
            `ratio ${c.ratio.cpu} (rounds ${c.ratio_range.cpu.join(" … ")}); per wall s ${c.baseline.wall} vs ${c.candidate.wall}, ratio ${c.ratio.wall}`);
    }
}

if (require.main === module) runCli("model:compare-cost", USAGE, compareCostCommand);
