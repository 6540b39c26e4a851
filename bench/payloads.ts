// Request bodies for every bench case, generated from the model's metadata so the bench follows the model's
// feature order and ranges. Inputs vary (seeded, reproducible) so no case is flattered by a prediction cache.
import * as fs from "node:fs";
import * as path from "node:path";
// Seeded so two runs of the bench send the same inputs; the same PRNG training uses.
import { createRandom } from "../training/split";

export interface FeatureSpec {
    name: string;
    min: number;
    max: number;
    integer?: boolean;
}

export interface ModelInfo {
    name: string;
    version: string;
    features: FeatureSpec[];
}

export function readModelInfo(modelDir: string): ModelInfo {
    const metadata = JSON.parse(fs.readFileSync(path.join(modelDir, "metadata.json"), "utf8")) as Partial<ModelInfo>;
    if (!metadata.name || !Array.isArray(metadata.features) || metadata.features.length === 0) {
        throw new Error(`${modelDir}/metadata.json lacks a name or a features list`);
    }
    return { name: metadata.name, version: String(metadata.version ?? "1"), features: metadata.features };
}

/** `count` rows of feature values, each inside its feature's [min, max] (integers where the feature is one). */
export function featureRows(features: readonly FeatureSpec[], count: number, seed = 1): number[][] {
    const random = createRandom(seed);
    return Array.from({ length: count }, () =>
        features.map((f) => {
            const value = f.min + random() * (f.max - f.min);
            return f.integer ? Math.round(value) : Math.round(value * 1000) / 1000;
        }),
    );
}

export function rowToInstance(features: readonly FeatureSpec[], row: readonly number[]): Record<string, number> {
    return Object.fromEntries(features.map((f, i) => [f.name, row[i]]));
}

/** POST /predict with one instance per request. */
export function singlePredictBodies(features: readonly FeatureSpec[], rows: readonly number[][]): string[] {
    return rows.map((row) => JSON.stringify(rowToInstance(features, row)));
}

/** POST /predict with `{instances: [...]}` of `batchSize` rows per request. */
export function batchPredictBodies(
    features: readonly FeatureSpec[],
    rows: readonly number[][],
    batchSize: number,
    bodyCount: number,
): string[] {
    return Array.from({ length: bodyCount }, (_, b) => {
        const instances = Array.from({ length: batchSize }, (_, i) =>
            rowToInstance(features, rows[(b * batchSize + i) % rows.length]),
        );
        return JSON.stringify({ instances });
    });
}

/** Open Inference Protocol v2 request with one row per request. */
export function v2InferBodies(features: readonly FeatureSpec[], rows: readonly number[][]): string[] {
    return rows.map((row) =>
        JSON.stringify({ inputs: [{ name: "features", shape: [1, features.length], datatype: "FP32", data: row }] }),
    );
}
