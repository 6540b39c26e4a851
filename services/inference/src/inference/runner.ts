import * as ort from "onnxruntime-node";
import { INPUT_NAME, OUTPUT_NAMES } from "../model/metadata";
import type { ServiceMetrics } from "../metrics";

/** One row's model outputs, in USD. */
export interface Prediction {
    estimate: number;
    lower: number;
    upper: number;
}

/** The part of an onnxruntime InferenceSession the runner uses. */
export type ModelSession = Pick<ort.InferenceSession, "run">;

/** onnxruntime failed on rows that passed validation: a server fault, answered with a safe 500. */
export class InferenceError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "InferenceError";
    }
}

/**
 * The only way to call the model. Routes hand it rows of features (in metadata column order) and get
 * one Prediction per row; the runner owns the queue gauge and the prediction metrics so that how
 * rows reach the session (one call per request today, dynamic batching later) stays its own business.
 */
export class ModelRunner {
    private inFlight = 0;

    constructor(
        private readonly session: ModelSession,
        private readonly featureCount: number,
        private readonly metrics: Pick<ServiceMetrics, "predictions" | "predictionDuration" | "queueLength" | "inferenceErrors">,
    ) {}

    /** Requests waiting for or running on the model. */
    get queueLength(): number {
        return this.inFlight;
    }

    async predict(rows: readonly (readonly number[])[]): Promise<Prediction[]> {
        if (rows.length === 0) return [];
        this.inFlight += 1;
        this.metrics.queueLength.inc();
        const stopTimer = this.metrics.predictionDuration.startTimer();
        try {
            const predictions = await this.run(rows);
            this.metrics.predictions.inc(rows.length);
            return predictions;
        } catch (error) {
            this.metrics.inferenceErrors.inc();
            throw error instanceof InferenceError ? error : new InferenceError("onnxruntime failed to evaluate the model", { cause: error });
        } finally {
            this.inFlight -= 1;
            this.metrics.queueLength.dec();
            stopTimer();
        }
    }

    private async run(rows: readonly (readonly number[])[]): Promise<Prediction[]> {
        const values = new Float32Array(rows.length * this.featureCount);
        rows.forEach((row, i) => values.set(row, i * this.featureCount));
        const outputs = await this.session.run({ [INPUT_NAME]: new ort.Tensor("float32", values, [rows.length, this.featureCount]) });
        const [estimate, lower, upper] = OUTPUT_NAMES.map((name) => {
            const data = outputs[name]?.data;
            if (!(data instanceof Float32Array) || data.length !== rows.length) {
                throw new InferenceError(`model output "${name}" does not hold one FP32 value per row`);
            }
            return data;
        });
        return rows.map((_, i) => ({ estimate: estimate[i], lower: lower[i], upper: upper[i] }));
    }
}
