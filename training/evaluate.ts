import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { choiceFlag, parseCliArgs, requireFlag, runCli, UsageError } from "./cli";
import type { Sale } from "./csv";
import { DataError, readSalesCsv } from "./csv";
import type { FeatureVector } from "./features";
import { columnsOf, saleFeatures, seedOnly } from "./features";
import type { ModelMetadata } from "./metadata";
import { DEFAULT_MODEL_DIR, readMetadata } from "./metadata";
import type { MaeComparison, Metrics, Predictions } from "./metrics";
import { compareMae, computeMetrics, meanAbsoluteError } from "./metrics";
import { heuristicPrices } from "./pipeline";
import { SPLIT_PARTS, splitPartOf } from "./split";

const SPLIT_CHOICES = ["all", ...SPLIT_PARTS] as const;
type SplitChoice = (typeof SPLIT_CHOICES)[number];
/** full: every input the sale's record has; seed: the five required inputs only, the optional ones missing. */
export const INPUT_CHOICES = ["full", "seed"] as const;
export type InputChoice = (typeof INPUT_CHOICES)[number];

const USAGE = `usage: npm run model:evaluate -- --data <csv> [--json] [--split all|${SPLIT_PARTS.join("|")}] [--inputs full|seed] [--model <dir>]
                              [--baseline <dir>]

  --data <csv>     sales in the original King County format (required)
  --json           print exactly one JSON object: n, mae, mape, r2, coverage, mean_width (mape and coverage
                   as fractions); skipped rows go to stderr. Use "npm run --silent" to drop npm's banner
  --split <part>   evaluate only one part of the model's own split, recomputed from the house id and the
                   seed in metadata.json; "test" is the holdout the model never saw. Default "all": every
                   usable row, including sales the model was fitted on (optimistic figures)
  --inputs <set>   full: every input of the record (default); seed: only the five required inputs
                   (square_feet, bedrooms, bathrooms, location_score, market_trend), the optional ones sent as missing
  --model <dir>    model directory (default: services/inference/models/property-valuation/2)
  --baseline <dir> also score this model on the same sales and inputs, and report the MAE difference with its
                   95% interval (sale-by-sale differences, normal approximation); with --json under "baseline".
                   Both models must split sales with the same seed
  --help           this text`;

const BATCH = 4096;

/** Runs model.onnx through onnxruntime-node on feature rows (FP32 [N, columns]). */
export async function runOnnx(modelFile: string, rows: readonly FeatureVector[]): Promise<Predictions & { estimate: Float32Array }> {
    const session = await ort.InferenceSession.create(modelFile);
    try {
        const out = { estimate: new Float32Array(rows.length), lower: new Float32Array(rows.length), upper: new Float32Array(rows.length) };
        for (let start = 0; start < rows.length; start += BATCH) {
            const batch = rows.slice(start, start + BATCH);
            const input = new ort.Tensor("float32", Float32Array.from(batch.flat()), [batch.length, batch[0].length]);
            const result = await session.run({ [session.inputNames[0]]: input });
            for (const name of ["estimate", "lower", "upper"] as const) out[name].set(result[name].data as Float32Array, start);
        }
        return out;
    } finally {
        await session.release();
    }
}

export interface Evaluation {
    metrics: Metrics;
    heuristicMae: number;
    skipped: Record<string, number>;
    /** Rows left out because they belong to another part of the split (not an error). */
    otherParts: number;
    /** |estimate − price| of each evaluated sale, by `saleKey`, to compare two models sale by sale. */
    absoluteErrors: Map<string, number>;
}

/** A sale, as a house may sell more than once. */
const saleKey = (sale: Sale): string => `${sale.id}@${sale.day}`;

/**
 * Derives features from metadata (as training did), keeps the columns the model's metadata lists, runs the ONNX
 * model, and scores it against price.
 */
export async function evaluateSales(sales: readonly Sale[], modelDir: string, split: SplitChoice, metadata = readMetadata(modelDir),
    inputs: InputChoice = "full"): Promise<Evaluation> {
    const columns = columnsOf(metadata.features.map((f) => f.name));
    const skipped: Record<string, number> = {};
    const kept: Sale[] = [];
    const rows: FeatureVector[] = [];
    let otherParts = 0;
    for (const sale of sales) {
        if (split !== "all" && splitPartOf(sale.id, metadata.training.split.seed) !== split) {
            otherParts++;
            continue;
        }
        const result = saleFeatures(sale, metadata.location_scores, metadata.market_index.months);
        if ("features" in result) {
            kept.push(sale);
            const row = inputs === "seed" ? seedOnly(result.features) : result.features;
            rows.push(columns.map((c) => row[c]));
        } else {
            skipped[result.reason] = (skipped[result.reason] ?? 0) + 1;
        }
    }
    if (rows.length === 0) throw new DataError("no usable rows to evaluate" + (split !== "all" ? ` in split "${split}"` : ""));
    const predictions = await runOnnx(path.join(modelDir, "model.onnx"), rows);
    const prices = kept.map((s) => s.price);
    return {
        metrics: computeMetrics(predictions, prices),
        heuristicMae: meanAbsoluteError(heuristicPrices(kept, metadata.zipcode_median_price_per_sqft), prices),
        skipped,
        otherParts,
        absoluteErrors: new Map(kept.map((sale, i) => [saleKey(sale), Math.abs(predictions.estimate[i] - prices[i])])),
    };
}

/** The candidate against the baseline on the sales both could score. */
export function compareEvaluations(candidate: Evaluation, baseline: Evaluation): MaeComparison {
    const shared = [...candidate.absoluteErrors.keys()].filter((key) => baseline.absoluteErrors.has(key));
    return compareMae(shared.map((key) => candidate.absoluteErrors.get(key) as number), shared.map((key) => baseline.absoluteErrors.get(key) as number));
}

const usd = (v: number): string => `${v < 0 ? "−" : ""}$${Math.abs(Math.round(v)).toLocaleString("en-US")}`;

function formatComparison(baseline: ModelMetadata, baselineDir: string, c: MaeComparison): string {
    const signed = (v: number) => `${v > 0 ? "+" : ""}${usd(v)}`;
    const percent = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(2)}%`;
    const [low, high] = c.mae_difference_ci95;
    const verdict = high < 0 ? "this model is better" : low > 0 ? "this model is worse" : "these sales cannot tell the two apart";
    return [
        `baseline     ${baseline.name} v${baseline.version} (${baselineDir}) on the same ${c.n} sales: MAE ${usd(c.baseline_mae)}`,
        `difference   ${signed(c.mae_difference)} (${percent(c.mae_difference / c.baseline_mae)}), 95% interval [${signed(low)}, ${signed(high)}]: ${verdict}`,
    ].join("\n");
}

function formatReport(m: ModelMetadata, e: Evaluation, split: SplitChoice, inputs: InputChoice, rowsRead: number): string {
    const x = e.metrics;
    const scope = split === "all"
        ? "all usable rows (includes the sales the model was fitted on, so figures are optimistic)"
        : `split "${split}" (seed ${m.training.split.seed})${split === "test" ? ": sales the model never saw" : ""}`;
    const skippedTotal = Object.values(e.skipped).reduce((a, b) => a + b, 0);
    return [
        `model ${m.name} v${m.version}; ${scope}; inputs: ${inputs === "seed" ? "the five required only" : "every input of the record"}`,
        `rows read ${rowsRead}, evaluated ${x.n}, skipped ${skippedTotal}${split !== "all" ? `, other parts ${e.otherParts}` : ""}`,
        `n            ${x.n}`,
        `MAE          ${usd(x.mae)}   (heuristic zipcode median $/sqft × sqft: ${usd(e.heuristicMae)}; ratio ${(x.mae / e.heuristicMae).toFixed(3)})`,
        `MAPE         ${(x.mape * 100).toFixed(2)}%`,
        `R²           ${x.r2.toFixed(4)}`,
        `coverage     ${(x.coverage * 100).toFixed(2)}% of prices inside the ${m.interval.level * 100}% interval`,
        `mean width   ${usd(x.mean_width)}`,
    ].join("\n");
}

/** The CLI body; throws UsageError / DataError for bad input (runCli turns them into exit code 2). */
export async function evaluateCommand(argv: string[]): Promise<void> {
    const args = parseCliArgs(argv, {
        data: { type: "string" }, json: { type: "boolean" }, split: { type: "string" }, inputs: { type: "string" }, model: { type: "string" },
        baseline: { type: "string" }, help: { type: "boolean" },
    });
    if (args.help) {
        console.log(USAGE);
        return;
    }
    const dataFile = requireFlag("data", args.data as string | undefined);
    const split = choiceFlag("split", args.split as string | undefined, SPLIT_CHOICES, "all");
    const inputs = choiceFlag("inputs", args.inputs as string | undefined, INPUT_CHOICES, "full");
    const modelDir = path.resolve((args.model as string | undefined) ?? DEFAULT_MODEL_DIR);
    const metadata = readMetadata(modelDir);
    const baselineDir = args.baseline === undefined ? undefined : path.resolve(args.baseline as string);
    const baselineMetadata = baselineDir === undefined ? undefined : readMetadata(baselineDir, "--baseline");
    if (baselineMetadata && split !== "all" && baselineMetadata.training.split.seed !== metadata.training.split.seed) {
        throw new UsageError(`--baseline ${baselineDir} splits sales with seed ${baselineMetadata.training.split.seed} and --model with seed ${metadata.training.split.seed}: their "${split}" parts are different sales`);
    }
    const parsed = readSalesCsv(dataFile);
    const evaluation = await evaluateSales(parsed.sales, modelDir, split, metadata, inputs);
    const comparison = baselineDir && baselineMetadata
        ? compareEvaluations(evaluation, await evaluateSales(parsed.sales, baselineDir, split, baselineMetadata, inputs))
        : undefined;
    const skipped: Record<string, number> = { ...Object.fromEntries(parsed.skipped) };
    for (const [reason, n] of Object.entries(evaluation.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
    evaluation.skipped = skipped;
    const skipLines = Object.entries(skipped).map(([reason, n]) => `  skipped ${n} × ${reason}`);
    if (args.json) {
        const { n, mae, mape, r2, coverage, mean_width } = evaluation.metrics;
        console.log(JSON.stringify({ n, mae, mape, r2, coverage, mean_width, ...(comparison ? { baseline: comparison } : {}) }));
        const total = Object.values(skipped).reduce((a, b) => a + b, 0);
        console.error(`skipped ${total} row(s)${skipLines.length ? ":\n" + skipLines.join("\n") : ""}`);
    } else {
        console.log(formatReport(metadata, evaluation, split, inputs, parsed.rowsRead));
        if (comparison && baselineMetadata) console.log(formatComparison(baselineMetadata, args.baseline as string, comparison));
        if (skipLines.length) console.log(skipLines.join("\n"));
    }
}

if (require.main === module) runCli("model:evaluate", USAGE, evaluateCommand);
