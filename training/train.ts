import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as cliProgress from "cli-progress";
import { writeArtifact } from "./artifact";
import { choiceFlag, integerFlag, parseCliArgs, requireFlag, runCli } from "./cli";
import { DataError, readSalesCsv } from "./csv";
import { buildMetadata, DEFAULT_MODEL_DIR } from "./metadata";
import type { TrainingOptions } from "./pipeline";
import { DEFAULT_OPTIONS, QUICK_GRID, trainValuationModel } from "./pipeline";
import { median } from "./stats";

const USAGE = `usage: npm run model:train -- --data <kc_house_data.csv> [options]

  --data <csv>        sales in the original King County format (required)
  --out <dir>         artifact directory (default: services/inference/models/property-valuation/2)
  --seed <int>        split and subsampling seed, 0 … 2147483647 (default ${DEFAULT_OPTIONS.seed})
  --max-trees <int>   tree budget per fit, 10 … 5000 (default ${DEFAULT_OPTIONS.maxTrees})
  --grid <name>       tree shapes tried: full | quick (default full)
  --help              this text`;

/** Fewer sales than this cannot fill four splits with enough zipcodes and calibration rows. */
const MIN_SALES = 200;

/** The CLI body; throws UsageError / DataError for bad input (runCli turns them into exit code 2). */
export async function trainCommand(argv: string[]): Promise<void> {
    const args = parseCliArgs(argv, {
        data: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, "max-trees": { type: "string" },
        grid: { type: "string" }, help: { type: "boolean" },
    });
    if (args.help) {
        console.log(USAGE);
        return;
    }
    const dataFile = requireFlag("data", args.data as string | undefined);
    const outDir = path.resolve((args.out as string | undefined) ?? DEFAULT_MODEL_DIR);
    const options: TrainingOptions = {
        ...DEFAULT_OPTIONS,
        seed: integerFlag("seed", args.seed as string | undefined, DEFAULT_OPTIONS.seed, 0, 2 ** 31 - 1),
        maxTrees: integerFlag("max-trees", args["max-trees"] as string | undefined, DEFAULT_OPTIONS.maxTrees, 10, 5000),
        grid: choiceFlag("grid", args.grid as string | undefined, ["full", "quick"], "full") === "quick" ? QUICK_GRID : DEFAULT_OPTIONS.grid,
    };

    const started = performance.now();
    const parsed = readSalesCsv(dataFile);
    console.error(`read ${parsed.rowsRead} rows from ${dataFile}: ${parsed.sales.length} usable`);
    for (const [reason, count] of parsed.skipped) console.error(`  skipped ${count} × ${reason}`);
    if (parsed.sales.length < MIN_SALES) {
        throw new DataError(`--data ${dataFile}: ${parsed.sales.length} usable sales; training needs at least ${MIN_SALES}`);
    }

    // A live bar on a terminal; in a log file (no TTY) one line per stage, since the bar redraws in place.
    const bar = new cliProgress.SingleBar({
        stream: process.stderr,
        format: "training [{bar}] {percentage}% | {value}/{total} tree budget | {stage}",
    }, cliProgress.Presets.shades_classic);
    const live = process.stderr.isTTY === true;
    if (live) bar.start(1, 0, { stage: "starting" });
    let lastStage = "";
    const outcome = trainValuationModel(parsed.sales, {
        ...options,
        onProgress: (done, total, stage) => {
            if (live) {
                bar.setTotal(total);
                bar.update(done, { stage });
            } else if (stage !== lastStage) {
                const elapsed = ((performance.now() - started) / 1000).toFixed(1);
                console.error(`[${elapsed} s] ${Math.floor((100 * done) / total)}% ${stage}`);
            }
            lastStage = stage;
        },
    });
    if (live) bar.stop();

    const prices = parsed.sales.map((s) => s.price);
    const skipped = { ...Object.fromEntries(parsed.skipped), ...outcome.skipped };
    const metadata = buildMetadata({
        outcome, options, rowsRead: parsed.rowsRead,
        rowsUsed: Object.values(outcome.rowsPerPart).reduce((a, b) => a + b, 0),
        skipped,
        price: { min: Math.min(...prices), median: median(prices), max: Math.max(...prices) },
    });
    const { onnxBytes } = writeArtifact(outDir, outcome.model, metadata);
    const seconds = (performance.now() - started) / 1000;
    console.log(`wrote ${outDir} (model.onnx ${(onnxBytes / 1024).toFixed(0)} KiB) in ${seconds.toFixed(1)} s`);
    for (const m of [metadata.metrics, metadata.seed_metrics]) {
        console.log(`holdout (test, n=${m.n}, ${m.inputs}): MAE ${m.mae} vs heuristic ${m.heuristic_mae} (ratio ${m.ratio}), ` +
            `MAPE ${(m.mape * 100).toFixed(1)}%, R² ${m.r2}, ${metadata.interval.level * 100}% coverage ${(m.coverage * 100).toFixed(1)}%, ` +
            `mean width ${m.mean_width}`);
    }
}

if (require.main === module) runCli("model:train", USAGE, trainCommand);
