import * as fs from "node:fs";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import type { SessionTuning } from "../config";
import { checkSessionAgreesWithMetadata, INPUT_NAME, MetadataError, type ModelMetadata, parseMetadata } from "./metadata";

export class ModelLoadError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "ModelLoadError";
    }
}

/** Reads and validates `metadata.json`. Synchronous because routes are built from it before listening. */
export function loadMetadata(modelDir: string): ModelMetadata {
    const file = path.join(modelDir, "metadata.json");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new ModelLoadError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new ModelLoadError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    try {
        return parseMetadata(json);
    } catch (error) {
        if (error instanceof MetadataError) throw new ModelLoadError(`${file} is invalid: ${error.message}`, { cause: error });
        throw error;
    }
}

/** The middle of every feature's valid range: a row the model must always accept. */
export function warmupRow(metadata: ModelMetadata): number[] {
    return metadata.features.map((f) => {
        const middle = (f.min + f.max) / 2;
        return f.integer ? Math.round(middle) : middle;
    });
}

/** onnxruntime SessionOptions for a tuning; an intra-op count of 0 is left out so onnxruntime picks its own. */
export function sessionOptions(tuning: SessionTuning): ort.InferenceSession.SessionOptions {
    return {
        executionProviders: ["cpu"],
        graphOptimizationLevel: tuning.graphOptimization,
        executionMode: "sequential",
        ...(tuning.intraOpThreads > 0 ? { intraOpNumThreads: tuning.intraOpThreads } : {}),
        ...(tuning.interOpThreads > 0 ? { interOpNumThreads: tuning.interOpThreads } : {}),
        // The Node binding turns `extra` into session config entries: session.intra_op.allow_spinning.
        extra: { session: { intra_op: { allow_spinning: tuning.allowSpinning ? "1" : "0" } } },
    };
}

/**
 * Creates the process's one InferenceSession, checks it against the metadata and runs one inference so
 * the first real request does not pay for lazy initialisation.
 */
export async function openSession(modelDir: string, metadata: ModelMetadata, tuning: SessionTuning): Promise<ort.InferenceSession> {
    const file = path.join(modelDir, "model.onnx");
    if (!fs.existsSync(file)) throw new ModelLoadError(`model file ${file} does not exist`);
    let session: ort.InferenceSession;
    try {
        session = await ort.InferenceSession.create(file, sessionOptions(tuning));
    } catch (error) {
        throw new ModelLoadError(`onnxruntime cannot load ${file} (truncated or corrupt?): ${(error as Error).message}`, { cause: error });
    }
    try {
        checkSessionAgreesWithMetadata(metadata, session);
        const row = warmupRow(metadata);
        const outputs = await session.run({ [INPUT_NAME]: new ort.Tensor("float32", Float32Array.from(row), [1, row.length]) });
        for (const output of metadata.outputs) {
            const values = outputs[output.name]?.data;
            if (!(values instanceof Float32Array) || values.length !== 1 || !Number.isFinite(values[0])) {
                throw new MetadataError(`warm-up output "${output.name}" is not one finite FP32 value per row`);
            }
        }
    } catch (error) {
        await session.release().catch(() => undefined);
        throw new ModelLoadError(`${file} does not match ${path.join(modelDir, "metadata.json")}: ${(error as Error).message}`, { cause: error });
    }
    return session;
}
