import * as fs from "node:fs";
import * as path from "node:path";
import { DataError } from "./csv";
import type { MarketIndexPoint } from "./features";
import { FEATURES, MASK_GROUPS, MIN_MONTH_SALES, MIN_ZIPCODE_SALES, REQUIRED_COUNT, TREND_LAG_MONTHS } from "./features";
import type { IntervalGroup } from "./interval-groups";
import type { LinearOffset } from "./linear";
import type { Metrics } from "./metrics";
import type { ModelMetadata as ServedMetadata } from "../services/inference/src/model/metadata";
import { INPUT_NAME, OUTPUT_NAMES } from "../services/inference/src/model/metadata";
import { ONNX_ML_OPSET, ONNX_OPSET } from "./onnx-export";
import type { HoldoutMetrics, SelectionResult, TrainingOptions, TrainingOutcome, TreeShape } from "./pipeline";
import type { SplitPart } from "./split";
import { SPLIT_FRACTIONS } from "./split";
import { roundTo } from "./stats";

export const MODEL_NAME = "property-valuation";
export const MODEL_VERSION = "2";
/** The artifact model:train writes and model:evaluate reads by default. */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, "..", "services", "inference", "models", MODEL_NAME, MODEL_VERSION);

/** What the service reads (services/inference/src/model/metadata.ts), plus what training records about itself. */
export interface ModelMetadata extends ServedMetadata {
    zipcode_median_price_per_sqft: Record<string, number>;
    market_index: { definition: string; trend_lag_months: number; min_month_sales: number; months: MarketIndexPoint[] };
    onnx: { opset: number; ai_onnx_ml_opset: number; graph: string };
    training: {
        /** Convenience summary; details below. */
        rows: number;
        date_range: { first: string; last: string };
        seed: number;
        data: { rows_read: number; rows_used: number; skipped: Record<string, number>; date_range: { first: string; last: string };
            price: { min: number; median: number; max: number } };
        split: { method: string; seed: number; fractions: Record<SplitPart, number>; rows: Record<SplitPart, number> };
        target: string;
        baseline: LinearOffset & { definition: string };
        hyperparameters: {
            /** Stage 1 of the estimate: the five required inputs only. */
            seed_stage: TreeShape & { trees: number; validationMae: number };
            /** Stage 2 of the estimate: every row, chosen from the grid. */
            chosen: SelectionResult; grid: SelectionResult[]; bounds: TreeShape & { lower: number; upper: number };
            visit_budget: { estimate: number; bound: number };
            fixed: Record<string, number>;
            trees: { estimate: number; lower: number; upper: number };
        };
        masking: { copies: number; groups: string[][]; definition: string };
        /** Conformal correction on the log scale per request group, and the calibration rows behind each. */
        conformal_offset_log: Record<IntervalGroup, number>;
        calibration_rows: Record<IntervalGroup, number>;
        min_zipcode_sales: number;
    };
    /** Test split, every input given (the full King County record). */
    metrics: PublishedMetrics;
    /** Test split, the five required inputs only (a request shaped like the guide's). */
    seed_metrics: PublishedMetrics;
}

export type PublishedMetrics = Metrics & { split: string; inputs: string; heuristic: string; heuristic_mae: number; ratio: number };

export interface MetadataInput {
    outcome: TrainingOutcome;
    options: TrainingOptions;
    rowsRead: number;
    rowsUsed: number;
    skipped: Record<string, number>;
    price: { min: number; median: number; max: number };
}

const r = (v: number, d = 4) => roundTo(v, d);

function published(m: HoldoutMetrics, inputs: string): PublishedMetrics {
    return {
        split: "test", inputs,
        n: m.n, mae: r(m.mae, 0), mape: r(m.mape), r2: r(m.r2), coverage: r(m.coverage), mean_width: r(m.mean_width, 0),
        heuristic: "zipcode_median_price_per_sqft[zipcode] × sqft_living",
        heuristic_mae: r(m.heuristic_mae, 0), ratio: r(m.ratio),
    };
}

export function buildMetadata({ outcome, options, rowsRead, rowsUsed, skipped, price }: MetadataInput): ModelMetadata {
    const pct = Math.round(options.level * 100);
    return {
        name: MODEL_NAME,
        version: MODEL_VERSION,
        description: `Sale price of a King County (WA) house from five inputs plus any of ${FEATURES.length - REQUIRED_COUNT} optional ` +
            `fields of the property record, with a calibrated ${pct}% prediction interval. ` +
            "Gradient-boosted trees on log(price), trained on 2014-05..2015-05 sales.",
        inputs: [{ name: INPUT_NAME, datatype: "FP32", shape: [-1, FEATURES.length],
            description: `Feature rows, columns in the order of "features". The first ${REQUIRED_COUNT} are required; an optional ` +
                "input the caller does not have is NaN (the FP32 missing value), and the trees route it as trained." }],
        features: FEATURES.map((f, i) => ({ name: f.name, description: f.description, unit: f.unit, min: f.min, max: f.max,
            ...("integer" in f ? { integer: true as const } : {}), ...(i >= REQUIRED_COUNT ? { optional: true as const } : {}) })),
        outputs: [
            { name: OUTPUT_NAMES[0], datatype: "FP32", shape: [-1, 1], description: "Estimated sale price (conditional median), USD." },
            { name: OUTPUT_NAMES[1], datatype: "FP32", shape: [-1, 1], description: `Lower bound of the ${pct}% prediction interval, USD.` },
            { name: OUTPUT_NAMES[2], datatype: "FP32", shape: [-1, 1], description: `Upper bound of the ${pct}% prediction interval, USD.` },
        ],
        interval: {
            level: options.level,
            method: `conformalized quantile regression (CQR): boosted ${r((1 - options.level) / 2, 6)} and ${r(1 - (1 - options.level) / 2, 6)} ` +
                "quantiles of log(price), both widened by a split-conformal correction from held-out calibration sales, measured " +
                "separately for requests with every optional input, with none, and with some (training.conformal_offset_log)",
        },
        location_scores: outcome.zipcodes.locationScore,
        zipcode_median_price_per_sqft: outcome.zipcodes.medianPricePerSqft,
        market_index: {
            definition: "index(month) = median over the month's fitted (train + validation) sales of (price / sqft_living) / " +
                "zipcode_median_price_per_sqft[zipcode]; months with fewer than min_month_sales sales are omitted. " +
                `market_trend(date) = 100 × (I(ref) / I(ref − ${TREND_LAG_MONTHS}) − 1), ref = the month before the sale's month, ` +
                "I(k) = index of the latest listed month ≤ k; ref after the last month → last month; ref − lag before the " +
                "first month → first month; ref before the first month → 0. Rounded to 2 decimals.",
            trend_lag_months: TREND_LAG_MONTHS,
            min_month_sales: MIN_MONTH_SALES,
            months: outcome.marketIndex,
        },
        onnx: {
            opset: ONNX_OPSET,
            ai_onnx_ml_opset: ONNX_ML_OPSET,
            graph: "features → ai.onnx.ml.TreeEnsembleRegressor (3 targets; NaN routed by nodes_missing_value_tracks_true; " +
                "each bound ends with one tree adding its request group's conformal correction) + log-linear baseline → Exp → Split → " +
                "estimate; Min(lower, estimate); Max(upper, estimate)",
        },
        training: {
            rows: rowsUsed,
            date_range: outcome.dateRange,
            seed: options.seed,
            data: { rows_read: rowsRead, rows_used: rowsUsed, skipped, date_range: outcome.dateRange, price },
            split: {
                method: "hash of (seed, house id) → train / validation / calibration / test; every sale of a house lands in one " +
                    "part. Tables and trees: train + validation (validation alone first selects the tree shape and counts); " +
                    "calibration: conformal correction; test: the reported metrics",
                seed: options.seed,
                fractions: SPLIT_FRACTIONS,
                rows: outcome.rowsPerPart,
            },
            target: "ln(price) − baseline",
            baseline: { ...outcome.model.offset,
                definition: "log_sqft × ln(square_feet) + location_score_slope × location_score, least squares on the fitted sales" },
            hyperparameters: {
                seed_stage: { ...outcome.seedStage, validationMae: r(outcome.seedStage.validationMae, 0) },
                chosen: { ...outcome.chosen, validationMae: r(outcome.chosen.validationMae, 0), validationMaeFull: r(outcome.chosen.validationMaeFull, 0),
                    validationMaeSeed: r(outcome.chosen.validationMaeSeed, 0) },
                bounds: { ...options.boundShape, ...outcome.quantileTrees },
                visit_budget: options.visitBudget,
                grid: outcome.selection.map((s) => ({ ...s, validationMae: r(s.validationMae, 0), validationMaeFull: r(s.validationMaeFull, 0),
                    validationMaeSeed: r(s.validationMaeSeed, 0) })),
                fixed: { maxTrees: options.maxTrees, patience: options.patience, subsample: options.subsample, l2: options.l2,
                    maxBins: options.maxBins, bags: options.bags, maskedCopies: options.maskedCopies },
                trees: { estimate: outcome.model.estimate.trees.length, lower: outcome.model.lower.trees.length,
                    upper: outcome.model.upper.trees.length },
            },
            masking: {
                copies: options.maskedCopies,
                groups: MASK_GROUPS.map((g) => [...g]),
                definition: "each fitted sale is used as recorded plus `copies` masked copies: even copies keep only the five " +
                    "required inputs, odd copies drop each group of optional inputs independently with probability 1/2 (NaN)",
            },
            conformal_offset_log: Object.fromEntries(Object.entries(outcome.conformalOffsets).map(([g, v]) => [g, r(v, 6)])) as Record<IntervalGroup, number>,
            calibration_rows: outcome.calibrationRows,
            min_zipcode_sales: MIN_ZIPCODE_SALES,
        },
        metrics: published(outcome.test.full, "full record: every input"),
        seed_metrics: published(outcome.test.seed, "seed: the five required inputs, optional ones NaN"),
    };
}

/** Reads and sanity-checks metadata.json of a model directory. */
export function readMetadata(modelDir: string, flag = "--model"): ModelMetadata {
    const file = path.join(modelDir, "metadata.json");
    let parsed: ModelMetadata;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8")) as ModelMetadata;
    } catch (err) {
        throw new DataError(`${flag} ${modelDir}: cannot read metadata.json (${(err as Error).message})`);
    }
    for (const key of ["features", "location_scores", "market_index", "training"] as const) {
        if (parsed[key] === undefined) throw new DataError(`${file}: missing "${key}"`);
    }
    return parsed;
}
