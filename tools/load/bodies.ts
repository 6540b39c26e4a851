// Request bodies for load runs, generated from the model's metadata.json as the service itself reads it (its
// strict loader), so every tool follows the model's feature order and ranges. Inputs vary (seeded,
// reproducible) so no run is flattered by the prediction cache.
import { loadMetadata } from "../../services/inference/src/model/loader";
import { encodeBinaryInferRequest } from "../../services/inference/src/routes/v2-binary";
import type { FeatureSpec, ModelMetadata } from "../../services/inference/src/model/metadata";
// Seeded so two runs send the same inputs; the same PRNG training uses.
import { createRandom } from "../../training/split";

export type { ModelMetadata };
export { loadMetadata };

/** The parts of a feature a body generator needs. */
export type FeatureRange = Pick<FeatureSpec, "name" | "min" | "max" | "integer">;

/** `count` rows of feature values, each inside its feature's [min, max] (integers where the feature is one). */
export function featureRows(features: readonly FeatureRange[], count: number, seed = 1): number[][] {
    const random = createRandom(seed);
    return Array.from({ length: count }, () => features.map((f) => featureValue(f, random())));
}

function featureValue(f: FeatureRange, unit: number): number {
    const value = f.min + unit * (f.max - f.min);
    return f.integer ? Math.round(value) : Math.round(value * 1000) / 1000;
}

export function rowToInstance(features: readonly FeatureRange[], row: readonly number[]): Record<string, number> {
    return Object.fromEntries(features.map((f, i) => [f.name, row[i]]));
}

/** POST /predict with one instance per request. */
export function singlePredictBodies(features: readonly FeatureRange[], rows: readonly number[][]): string[] {
    return rows.map((row) => JSON.stringify(rowToInstance(features, row)));
}

/** POST /predict with `{instances: [...]}` of `batchSize` rows per request. */
export function batchPredictBodies(features: readonly FeatureRange[], rows: readonly number[][], batchSize: number, bodyCount: number): string[] {
    return Array.from({ length: bodyCount }, (_, b) => {
        const instances = Array.from({ length: batchSize }, (_, i) => rowToInstance(features, rows[(b * batchSize + i) % rows.length]));
        return JSON.stringify({ instances });
    });
}

/** Open Inference Protocol v2 JSON infer request of the given rows (one request per `rowsPerRequest` rows). */
export function v2InferBodies(features: readonly FeatureRange[], rows: readonly number[][], rowsPerRequest = 1): string[] {
    return Array.from({ length: Math.floor(rows.length / rowsPerRequest) }, (_, b) => {
        const slice = rows.slice(b * rowsPerRequest, (b + 1) * rowsPerRequest);
        return JSON.stringify({ inputs: [{ name: "features", shape: [slice.length, features.length], datatype: "FP32", data: slice.flat() }] });
    });
}

/**
 * Open Inference Protocol v2 infer requests with the binary tensor extension (raw FP32 rows after a JSON header),
 * asking for binary outputs too; the service's own encoder. Bodies are base64 (binary), the headers shared.
 */
export function v2BinaryInferBodies(rows: readonly number[][], rowsPerRequest: number): { headers: Record<string, string>; bodies: string[] } {
    const encoded = Array.from({ length: Math.floor(rows.length / rowsPerRequest) }, (_, b) =>
        encodeBinaryInferRequest("features", rows.slice(b * rowsPerRequest, (b + 1) * rowsPerRequest), { binaryOutputs: true }),
    );
    const headers = encoded[0].headers;
    if (encoded.some((e) => JSON.stringify(e.headers) !== JSON.stringify(headers))) throw new Error("binary infer bodies differ in their headers");
    return { headers, bodies: encoded.map((e) => e.body.toString("base64")) };
}

/** A fresh valid /predict body (JSON text) per call, for soak and overload runs; seeded. */
export function predictBodyStream(metadata: Pick<ModelMetadata, "features">, seed = 1): () => string {
    const random = createRandom(seed);
    return () => JSON.stringify(Object.fromEntries(metadata.features.map((f) => [f.name, featureValue(f, random())])));
}
