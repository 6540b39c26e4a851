import type { Sale } from "./csv";
import { formatDay } from "./csv";
import type { FeatureVector, MarketIndexPoint, ZipcodeTable } from "./features";
import { buildMarketIndex, buildZipcodeTable, FEATURES, saleFeatures } from "./features";
import type { BoostingParams, Dataset, Matrix } from "./gbdt";
import { averageEnsembles, fitBoosting, pinballLoss, predictEnsemble, toMatrix } from "./gbdt";
import { conformalQuantile, cqrScores } from "./conformal";
import type { LinearOffset } from "./linear";
import { fitLinearOffset, linearOffsets } from "./linear";
import type { Metrics } from "./metrics";
import { computeMetrics, meanAbsoluteError } from "./metrics";
import type { ValuationModel } from "./model";
import { predictPrices, shiftEnsemble } from "./model";
import type { SplitPart } from "./split";
import { SPLIT_PARTS, splitPartOf } from "./split";
import { roundTo } from "./stats";

/** The hyperparameters chosen by validation; the rest of BoostingParams is fixed in TrainingOptions. */
export interface TreeShape {
    learningRate: number;
    maxLeaves: number;
    minSamplesLeaf: number;
}

export interface TrainingOptions {
    seed: number;
    /** Nominal coverage of the prediction interval. */
    level: number;
    grid: TreeShape[];
    maxTrees: number;
    patience: number;
    subsample: number;
    l2: number;
    maxBins: number;
    /** The estimate averages this many ensembles grown with different subsampling seeds (less variance). */
    bags: number;
    onProgress?: (done: number, total: number, stage: string) => void;
}

export const DEFAULT_GRID: TreeShape[] = [0.05, 0.1].flatMap((learningRate) =>
    [8, 16, 32].flatMap((maxLeaves) => [20, 50].map((minSamplesLeaf) => ({ learningRate, maxLeaves, minSamplesLeaf }))));

/** One reasonable shape, for fast runs (tests, smoke checks). */
export const QUICK_GRID: TreeShape[] = [{ learningRate: 0.1, maxLeaves: 16, minSamplesLeaf: 20 }];

export const DEFAULT_OPTIONS: TrainingOptions = {
    seed: 20150527, level: 0.8, grid: DEFAULT_GRID, maxTrees: 1000, patience: 100, subsample: 0.8, l2: 1, maxBins: 255, bags: 3,
};

export interface SelectionResult extends TreeShape {
    trees: number;
    validationMae: number;
}

export interface TrainingOutcome {
    model: ValuationModel;
    zipcodes: ZipcodeTable;
    marketIndex: MarketIndexPoint[];
    chosen: SelectionResult;
    selection: SelectionResult[];
    quantileTrees: { lower: number; upper: number };
    /** Conformal widening on the log-price scale (negative = the raw quantile band was too wide). */
    conformalOffset: number;
    rowsPerPart: Record<SplitPart, number>;
    skipped: Record<string, number>;
    dateRange: { first: string; last: string };
    test: Metrics & { heuristic_mae: number; ratio: number };
}

interface PartData {
    sales: Sale[];
    features: FeatureVector[];
    X: Matrix;
    logPrice: Float64Array;
}

/** Appraisal heuristic: the zipcode's median training price per sq ft × the house's sq ft. */
export function heuristicPrices(sales: readonly Sale[], medianPricePerSqft: Record<string, number>): Float64Array {
    return Float64Array.from(sales, (s) => medianPricePerSqft[s.zipcode] * s.sqftLiving);
}

interface Tables {
    zipcodes: ZipcodeTable;
    marketIndex: MarketIndexPoint[];
}

/** Builds the zipcode table and market index from `fitting` sales only, then derives every part's features. */
function deriveParts(byPart: Map<SplitPart, Sale[]>, fitting: readonly SplitPart[], skipped?: Record<string, number>) {
    const fitSales = fitting.flatMap((p) => byPart.get(p) ?? []);
    const zipcodes = buildZipcodeTable(fitSales);
    const marketIndex = buildMarketIndex(fitSales, zipcodes);
    const parts = {} as Record<SplitPart, PartData>;
    for (const part of SPLIT_PARTS) {
        const kept: Sale[] = [];
        const features: FeatureVector[] = [];
        for (const sale of byPart.get(part) ?? []) {
            const result = saleFeatures(sale, zipcodes.locationScore, marketIndex);
            if ("features" in result) {
                kept.push(sale);
                features.push(result.features);
            } else if (skipped) {
                skipped[result.reason] = (skipped[result.reason] ?? 0) + 1;
            }
        }
        if (kept.length === 0) throw new Error(`the ${part} split has no usable sales`);
        parts[part] = { sales: kept, features, X: toMatrix(features, FEATURES.length), logPrice: Float64Array.from(kept, (s) => Math.log(s.price)) };
    }
    return { tables: { zipcodes, marketIndex } as Tables, parts };
}

function concat(a: PartData, b: PartData): PartData {
    const features = [...a.features, ...b.features];
    return { sales: [...a.sales, ...b.sales], features, X: toMatrix(features, FEATURES.length), logPrice: Float64Array.from([...a.logPrice, ...b.logPrice]) };
}

/** The boosting target: log(price) minus the baseline. */
function residualDataset(part: PartData, offset: LinearOffset): Dataset {
    const offsets = linearOffsets(offset, part.X);
    return { X: part.X, y: part.logPrice.map((v, i) => v - offsets[i]) };
}

/**
 * Model selection, then the final fit:
 * 1. tables and models from `train`; every tree shape in the grid is early-stopped on `validation`
 *    (estimate: MAE in USD; bounds: pinball loss), which fixes the shape and each model's tree count;
 * 2. tables and models are rebuilt from `train` + `validation` with those settings (more data, nothing
 *    left to select), the bounds are conformally calibrated on `calibration`, and `test` is reported.
 * `test` and `calibration` sales never reach a table or a tree.
 */
export function trainValuationModel(sales: readonly Sale[], options: TrainingOptions): TrainingOutcome {
    if (sales.length === 0) throw new Error("no usable sales to train on");
    const byPart = new Map<SplitPart, Sale[]>(SPLIT_PARTS.map((p) => [p, []]));
    for (const sale of sales) byPart.get(splitPartOf(sale.id, options.seed))?.push(sale);

    const selectionData = deriveParts(byPart, ["train"]);
    const fits = options.grid.length + 2 + 2 + options.bags;
    const total = fits * options.maxTrees;
    let done = 0;
    const fit = (
        data: Dataset, params: BoostingParams, stage: string,
        validation?: { data: Dataset; score: (pred: Float64Array, y: Float64Array) => number },
    ) => {
        const start = done;
        const result = fitBoosting(data, params, validation, () => options.onProgress?.(++done, total, stage));
        done = start + options.maxTrees;
        options.onProgress?.(done, total, stage);
        return result;
    };
    const paramsFor = (shape: TreeShape, loss: BoostingParams["loss"], maxTrees = options.maxTrees): BoostingParams => ({
        ...shape, loss, maxTrees, patience: options.patience, subsample: options.subsample,
        l2: loss.kind === "squared" ? options.l2 : 0, maxBins: options.maxBins, seed: options.seed,
    });
    // The estimate is a conditional median of log(price), hence of price: the value that minimises the
    // absolute error in USD that users see and that model selection scores.
    const estimateLoss: BoostingParams["loss"] = { kind: "quantile", alpha: 0.5 };
    const selectionOffset = fitLinearOffset(selectionData.parts.train.X, selectionData.parts.train.logPrice);
    const train = residualDataset(selectionData.parts.train, selectionOffset);
    const validation = residualDataset(selectionData.parts.validation, selectionOffset);
    const validationOffsets = linearOffsets(selectionOffset, selectionData.parts.validation.X);
    const validationPrices = selectionData.parts.validation.sales.map((s) => s.price);
    const priceMae = (pred: Float64Array) => meanAbsoluteError(pred.map((v, i) => Math.exp(v + validationOffsets[i])), validationPrices);
    const selection: SelectionResult[] = options.grid.map((shape) => {
        const result = fit(train, paramsFor(shape, estimateLoss), `select lr=${shape.learningRate} leaves=${shape.maxLeaves} min-leaf=${shape.minSamplesLeaf}`,
            { data: validation, score: priceMae });
        return { ...shape, trees: result.bestTrees, validationMae: Math.min(...result.validationScores) };
    });
    const best = selection.reduce((a, b) => (b.validationMae < a.validationMae ? b : a));
    const alphaLow = roundTo((1 - options.level) / 2, 6);
    const quantileTrees = (alpha: number) => fit(train, paramsFor(best, { kind: "quantile", alpha }), `select q=${alpha}`,
        { data: validation, score: (pred, y) => pinballLoss(pred, y, alpha) }).bestTrees;
    const treesLower = quantileTrees(alphaLow);
    const treesUpper = quantileTrees(1 - alphaLow);

    const skipped: Record<string, number> = {};
    const { tables, parts } = deriveParts(byPart, ["train", "validation"], skipped);
    const fitted = concat(parts.train, parts.validation);
    const offset = fitLinearOffset(fitted.X, fitted.logPrice);
    const finalData = residualDataset(fitted, offset);
    const bagged = Array.from({ length: options.bags }, (_, k) =>
        fit(finalData, { ...paramsFor(best, estimateLoss, best.trees), seed: options.seed + k }, `final estimate ${k + 1}/${options.bags}`).ensemble);
    const estimate = averageEnsembles(bagged);
    const lowerRaw = fit(finalData, paramsFor(best, { kind: "quantile", alpha: alphaLow }, treesLower), "final lower").ensemble;
    const upperRaw = fit(finalData, paramsFor(best, { kind: "quantile", alpha: 1 - alphaLow }, treesUpper), "final upper").ensemble;

    const { calibration, test } = parts;
    const calibrationData = residualDataset(calibration, offset);
    const scores = cqrScores(predictEnsemble(lowerRaw, calibration.X), predictEnsemble(upperRaw, calibration.X), calibrationData.y);
    const conformalOffset = conformalQuantile(scores, options.level);
    const model: ValuationModel = {
        offset,
        estimate,
        lower: shiftEnsemble(lowerRaw, -conformalOffset),
        upper: shiftEnsemble(upperRaw, conformalOffset),
    };

    const testPrices = Float64Array.from(test.sales, (s) => s.price);
    const metrics = computeMetrics(predictPrices(model, test.X), testPrices);
    const heuristicMae = meanAbsoluteError(heuristicPrices(test.sales, tables.zipcodes.medianPricePerSqft), testPrices);
    const days = sales.map((s) => s.day);
    return {
        model, ...tables,
        chosen: best,
        selection,
        quantileTrees: { lower: treesLower, upper: treesUpper },
        conformalOffset,
        rowsPerPart: Object.fromEntries(SPLIT_PARTS.map((p) => [p, parts[p].sales.length])) as Record<SplitPart, number>,
        skipped,
        dateRange: { first: formatDay(days.reduce((a, b) => Math.min(a, b))), last: formatDay(days.reduce((a, b) => Math.max(a, b))) },
        test: { ...metrics, heuristic_mae: heuristicMae, ratio: metrics.mae / heuristicMae },
    };
}
