import type { Sale } from "./csv";
import { formatDay } from "./csv";
import type { FeatureVector, MarketIndexPoint, ZipcodeTable } from "./features";
import { buildMarketIndex, buildZipcodeTable, FEATURES, saleFeatures, seedOnly } from "./features";
import type { BoostingParams, Dataset, Ensemble, Matrix, Tree } from "./gbdt";
import { affordableTrees, averageEnsembles, fitBoosting, meanPathLengths, pinballLoss, predictEnsemble, toMatrix } from "./gbdt";
import { conformalQuantile, cqrScores } from "./conformal";
import type { IntervalGroup } from "./interval-groups";
import { groupTree, INTERVAL_GROUPS, rowsByGroup } from "./interval-groups";
import type { LinearOffset } from "./linear";
import { fitLinearOffset, linearOffsets } from "./linear";
import { maskedCopies, randomSubset } from "./masking";
import type { Metrics } from "./metrics";
import { computeMetrics, meanAbsoluteError } from "./metrics";
import type { ValuationModel } from "./model";
import { predictPrices } from "./model";
import type { SplitPart } from "./split";
import { createRandom, SPLIT_PARTS, splitPartOf } from "./split";
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
    /** Masked copies of each fitted sale added to the training rows (see masking.ts). */
    maskedCopies: number;
    /**
     * Shape of the first stage of the estimate: trees grown on the five required inputs alone (v1's model, the
     * shape v1's grid chose on this validation split), which the grid's trees then continue on every row.
     */
    seedStage: TreeShape;
    /** Shape of the 10% and 90% quantile models behind the interval. */
    boundShape: TreeShape;
    /**
     * Inference cost caps, in tree nodes a row passes on average (validation rows, full and five-input): the
     * estimate (both stages) and each bound. Tree counts are chosen by validation within them.
     */
    visitBudget: { estimate: number; bound: number };
    onProgress?: (done: number, total: number, stage: string) => void;
}

export const DEFAULT_GRID: TreeShape[] = [0.1, 0.15].flatMap((learningRate) =>
    [32, 64].map((maxLeaves) => ({ learningRate, maxLeaves, minSamplesLeaf: 50 })));

/** One reasonable shape, for fast runs (tests, smoke checks). */
export const QUICK_GRID: TreeShape[] = [{ learningRate: 0.1, maxLeaves: 16, minSamplesLeaf: 20 }];

// v1 (five inputs, 1,752 trees of 8 leaves) costs 4,360 node visits per King County row: v2 stays within it.
export const DEFAULT_OPTIONS: TrainingOptions = {
    seed: 20150527, level: 0.8, grid: DEFAULT_GRID, maxTrees: 600, patience: 100, subsample: 0.8, l2: 1, maxBins: 255, bags: 1,
    maskedCopies: 2, seedStage: { learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 20 },
    boundShape: { learningRate: 0.2, maxLeaves: 8, minSamplesLeaf: 50 }, visitBudget: { estimate: 3200, bound: 650 },
};

export interface SelectionResult extends TreeShape {
    /** Stage-2 trees: the best validation count within the estimate's visit budget. */
    trees: number;
    /** Node visits per validation row of the estimate (stage 1 + these trees). */
    visits: number;
    /** Mean of the full-record and five-field validation MAEs, USD: what selection minimises. */
    validationMae: number;
    validationMaeFull: number;
    validationMaeSeed: number;
}

/** Holdout figures for one kind of request. */
export type HoldoutMetrics = Metrics & { heuristic_mae: number; ratio: number };

export interface TrainingOutcome {
    model: ValuationModel;
    /** Trees of the estimate's first stage (five required inputs only), chosen on the five-input validation MAE. */
    seedStage: TreeShape & { trees: number; validationMae: number };
    zipcodes: ZipcodeTable;
    marketIndex: MarketIndexPoint[];
    chosen: SelectionResult;
    selection: SelectionResult[];
    quantileTrees: { lower: number; upper: number };
    /** Conformal widening on the log-price scale per request group (negative = the raw band was too wide). */
    conformalOffsets: Record<IntervalGroup, number>;
    calibrationRows: Record<IntervalGroup, number>;
    rowsPerPart: Record<SplitPart, number>;
    skipped: Record<string, number>;
    dateRange: { first: string; last: string };
    /** The test split with every input ("full") and with the five required ones only ("seed"). */
    test: { full: HoldoutMetrics; seed: HoldoutMetrics };
}

interface PartData {
    sales: Sale[];
    features: FeatureVector[];
    logPrice: Float64Array;
}

/** Rows with their log prices, as the trainer's column matrix. */
interface Rows {
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
        parts[part] = { sales: kept, features, logPrice: Float64Array.from(kept, (s) => Math.log(s.price)) };
    }
    return { tables: { zipcodes, marketIndex } as Tables, parts };
}

function concat(a: PartData, b: PartData): PartData {
    return { sales: [...a.sales, ...b.sales], features: [...a.features, ...b.features], logPrice: Float64Array.from([...a.logPrice, ...b.logPrice]) };
}

/** Views of a part stacked: each view lists the part's sales in order, once or several times over. */
function stacked(part: PartData, views: FeatureVector[][]): Rows {
    const rows = views.flat();
    const n = part.logPrice.length;
    if (rows.length % n !== 0) throw new Error(`views of ${rows.length} rows do not repeat the part's ${n} sales`);
    return { X: toMatrix(rows, FEATURES.length), logPrice: Float64Array.from(rows, (_, i) => part.logPrice[i % n]) };
}

/** Fitting rows: every sale as recorded plus its masked copies. */
const trainingRows = (part: PartData, copies: number, random: () => number) =>
    stacked(part, [part.features, maskedCopies(part.features, copies, random)]);
/** Scoring rows: every sale with all its inputs, then with the five required ones (the halves weigh the same). */
const scoringRows = (part: PartData) => stacked(part, [part.features, part.features.map(seedOnly)]);

/** The boosting target: log(price) minus the baseline. */
function residualDataset(rows: Rows, offset: LinearOffset): Dataset {
    const offsets = linearOffsets(offset, rows.X);
    return { X: rows.X, y: rows.logPrice.map((v, i) => v - offsets[i]) };
}

const halves = (values: Float64Array) => [values.subarray(0, values.length / 2), values.subarray(values.length / 2)];

/** The ensemble plus one tree that adds values[group of the row]. */
const withGroupTree = (ensemble: Ensemble, values: Record<IntervalGroup, number>): Ensemble =>
    ({ base: ensemble.base, trees: [...ensemble.trees, groupTree(values)] });

/**
 * Model selection, then the final fit:
 * 1. tables and models from `train` (plus masked copies); every tree shape in the grid is early-stopped on
 *    `validation` scored both with every input and with the five required ones (estimate: mean of the two
 *    MAEs in USD; bounds: pinball loss), which fixes the shape and each model's tree count;
 * 2. tables and models are rebuilt from `train` + `validation` with those settings (more data, nothing
 *    left to select), the bounds are conformally calibrated per request group on `calibration`, and `test`
 *    is reported for full records and for the five required inputs.
 * `test` and `calibration` sales never reach a table or a tree.
 */
export function trainValuationModel(sales: readonly Sale[], options: TrainingOptions): TrainingOutcome {
    if (sales.length === 0) throw new Error("no usable sales to train on");
    const byPart = new Map<SplitPart, Sale[]>(SPLIT_PARTS.map((p) => [p, []]));
    for (const sale of sales) byPart.get(splitPartOf(sale.id, options.seed))?.push(sale);
    // Masks come from their own stream, so they do not shift with the tree subsampling.
    const maskRandom = createRandom(options.seed ^ 0x5eed);

    const selectionData = deriveParts(byPart, ["train"]);
    const fits = 1 + options.grid.length + 2 + 2 * options.bags + 2;
    const total = fits * options.maxTrees;
    let done = 0;
    const fit = (
        data: Dataset, params: BoostingParams, stage: string,
        validation?: { data: Dataset; score: (pred: Float64Array, y: Float64Array) => number }, start?: Ensemble,
    ) => {
        const begin = done;
        const result = fitBoosting(data, params, validation, () => options.onProgress?.(++done, total, stage), start);
        done = begin + options.maxTrees;
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
    const selectionTrain = trainingRows(selectionData.parts.train, options.maskedCopies, maskRandom);
    const selectionOffset = fitLinearOffset(selectionTrain.X, selectionTrain.logPrice);
    const train = residualDataset(selectionTrain, selectionOffset);
    const validationRows = scoringRows(selectionData.parts.validation);
    const validation = residualDataset(validationRows, selectionOffset);
    const validationOffsets = linearOffsets(selectionOffset, validationRows.X);
    const validationPrices = Float64Array.from(validationRows.logPrice, Math.exp);
    const toUsd = (pred: Float64Array, offsets = validationOffsets) => pred.map((v, i) => Math.exp(v + offsets[i]));
    const priceMae = (pred: Float64Array) => meanAbsoluteError(toUsd(pred), validationPrices);

    // Stage 1: the five required inputs alone, early-stopped on the five-input half of validation.
    const seedTrain = residualDataset(stacked(selectionData.parts.train, [selectionData.parts.train.features.map(seedOnly)]), selectionOffset);
    const half = validationPrices.length / 2;
    const seedValidation = { X: toMatrix(selectionData.parts.validation.features.map(seedOnly), FEATURES.length), y: validation.y.subarray(half) };
    const seedOffsets = validationOffsets.subarray(half);
    const seedStage = fit(seedTrain, paramsFor(options.seedStage, estimateLoss), "select stage 1 (five inputs)",
        { data: seedValidation, score: (pred) => meanAbsoluteError(toUsd(pred, seedOffsets), validationPrices.subarray(half)) });
    // Stage 2: every row, continuing from stage 1; the grid's shapes compete on both halves of validation,
    // each cut to the best tree count the estimate's visit budget affords.
    const visits = (trees: Tree[]) => meanPathLengths(trees, validation.X);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const seedStageVisits = sum(visits(seedStage.ensemble.trees));
    const selection: SelectionResult[] = options.grid.map((shape) => {
        const result = fit(train, paramsFor(shape, estimateLoss), `select lr=${shape.learningRate} leaves=${shape.maxLeaves} min-leaf=${shape.minSamplesLeaf}`,
            { data: validation, score: priceMae }, seedStage.ensemble);
        const paths = visits(result.grown);
        const trees = affordableTrees(result.validationScores, paths, options.visitBudget.estimate - seedStageVisits);
        const ensemble = { base: seedStage.ensemble.base, trees: [...seedStage.ensemble.trees, ...result.grown.slice(0, trees)] };
        const [full, seed] = halves(toUsd(predictEnsemble(ensemble, validation.X)));
        const [fullPrices, seedPrices] = halves(validationPrices);
        return { ...shape, trees, visits: roundTo(seedStageVisits + sum(paths.slice(0, trees)), 0), validationMae: result.validationScores[trees - 1],
            validationMaeFull: meanAbsoluteError(full, fullPrices), validationMaeSeed: meanAbsoluteError(seed, seedPrices) };
    });
    const best = selection.reduce((a, b) => (b.validationMae < a.validationMae ? b : a));
    const alphaLow = roundTo((1 - options.level) / 2, 6);
    const quantileTrees = (alpha: number) => {
        const result = fit(train, paramsFor(options.boundShape, { kind: "quantile", alpha }), `select q=${alpha}`,
            { data: validation, score: (pred, y) => pinballLoss(pred, y, alpha) });
        return affordableTrees(result.validationScores, visits(result.grown), options.visitBudget.bound);
    };
    const treesLower = quantileTrees(alphaLow);
    const treesUpper = quantileTrees(1 - alphaLow);

    const skipped: Record<string, number> = {};
    const { tables, parts } = deriveParts(byPart, ["train", "validation"], skipped);
    const fittedPart = concat(parts.train, parts.validation);
    const fitted = trainingRows(fittedPart, options.maskedCopies, maskRandom);
    const offset = fitLinearOffset(fitted.X, fitted.logPrice);
    const finalData = residualDataset(fitted, offset);
    const finalSeedData = residualDataset(stacked(fittedPart, [fittedPart.features.map(seedOnly)]), offset);
    const bagged = Array.from({ length: options.bags }, (_, k) => {
        const seedParams = { ...paramsFor(options.seedStage, estimateLoss, seedStage.bestTrees), seed: options.seed + k };
        const first = fit(finalSeedData, seedParams, `final stage 1 ${k + 1}/${options.bags}`).ensemble;
        return fit(finalData, { ...paramsFor(best, estimateLoss, best.trees), seed: options.seed + k }, `final stage 2 ${k + 1}/${options.bags}`,
            undefined, first).ensemble;
    });
    const estimate = averageEnsembles(bagged);
    const lowerRaw = fit(finalData, paramsFor(options.boundShape, { kind: "quantile", alpha: alphaLow }, treesLower), "final lower").ensemble;
    const upperRaw = fit(finalData, paramsFor(options.boundShape, { kind: "quantile", alpha: 1 - alphaLow }, treesUpper), "final upper").ensemble;

    // Calibration sales as full records, as the five required inputs, and with a random subset of inputs.
    const { calibration, test } = parts;
    const calibrationViews = [calibration.features, calibration.features.map(seedOnly),
        calibration.features.map((row) => randomSubset(row, maskRandom))];
    const calibrationData = residualDataset(stacked(calibration, calibrationViews), offset);
    const scores = cqrScores(predictEnsemble(lowerRaw, calibrationData.X), predictEnsemble(upperRaw, calibrationData.X), calibrationData.y);
    const groups = rowsByGroup(calibrationViews.flat());
    const conformalOffsets = Object.fromEntries(INTERVAL_GROUPS.map((g) =>
        [g, Math.fround(conformalQuantile(groups[g].map((i) => scores[i]), options.level))])) as Record<IntervalGroup, number>;
    const negated = Object.fromEntries(INTERVAL_GROUPS.map((g) => [g, -conformalOffsets[g]])) as Record<IntervalGroup, number>;
    const model: ValuationModel = {
        offset,
        estimate,
        lower: withGroupTree(lowerRaw, negated),
        upper: withGroupTree(upperRaw, conformalOffsets),
    };

    const testPrices = Float64Array.from(test.sales, (s) => s.price);
    const heuristicMae = meanAbsoluteError(heuristicPrices(test.sales, tables.zipcodes.medianPricePerSqft), testPrices);
    const holdout = (rows: FeatureVector[]): HoldoutMetrics => {
        const metrics = computeMetrics(predictPrices(model, toMatrix(rows, FEATURES.length)), testPrices);
        return { ...metrics, heuristic_mae: heuristicMae, ratio: metrics.mae / heuristicMae };
    };
    const days = sales.map((s) => s.day);
    return {
        model, ...tables,
        seedStage: { ...options.seedStage, trees: seedStage.bestTrees, validationMae: Math.min(...seedStage.validationScores) },
        chosen: best,
        selection,
        quantileTrees: { lower: treesLower, upper: treesUpper },
        conformalOffsets,
        calibrationRows: Object.fromEntries(INTERVAL_GROUPS.map((g) => [g, groups[g].length])) as Record<IntervalGroup, number>,
        rowsPerPart: Object.fromEntries(SPLIT_PARTS.map((p) => [p, parts[p].sales.length])) as Record<SplitPart, number>,
        skipped,
        dateRange: { first: formatDay(days.reduce((a, b) => Math.min(a, b))), last: formatDay(days.reduce((a, b) => Math.max(a, b))) },
        test: { full: holdout(test.features), seed: holdout(test.features.map(seedOnly)) },
    };
}
