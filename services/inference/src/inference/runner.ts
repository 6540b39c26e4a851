import * as ort from "onnxruntime-node";
import { INPUT_NAME, OUTPUT_NAMES } from "../model/metadata";
import type { ServiceMetrics } from "../metrics";
import { DynamicBatcher, type BatcherOptions } from "./batcher";

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

/** The wait queue is at its bound: refused at once (503 + Retry-After) so accepted requests keep their latency. */
export class QueueFullError extends Error {
    constructor(readonly maxQueueLength: number) {
        super(`the model's queue is full (${maxQueueLength} requests waiting); retry shortly`);
        this.name = "QueueFullError";
    }
}

export interface ModelRunnerOptions {
    /** Requests waiting for or running on the model at most; the next one gets a QueueFullError. */
    maxQueueLength: number;
    /** Coalesce concurrent requests into one session.run; absent runs each request on its own. */
    batching?: BatcherOptions;
}

/**
 * The only way to call the model. Routes hand it rows of features (in metadata column order) and get
 * one Prediction per row; the runner owns the queue gauge and the prediction metrics so that how
 * rows reach the session (one call per request, or several requests per call with batching) stays its own business.
 */
export class ModelRunner {
    private inFlight = 0;
    private readonly batcher: DynamicBatcher<Prediction> | undefined;

    constructor(
        private readonly session: ModelSession,
        private readonly featureCount: number,
        private readonly metrics: Pick<ServiceMetrics, "predictions" | "predictionDuration" | "queueLength" | "inferenceErrors">,
        private readonly options: ModelRunnerOptions = { maxQueueLength: Number.POSITIVE_INFINITY },
    ) {
        this.batcher = options.batching ? new DynamicBatcher((rows) => this.run(rows), options.batching) : undefined;
    }

    /** Requests waiting for or running on the model. */
    get queueLength(): number {
        return this.inFlight;
    }

    /** True when the next request would be refused, so HTTP can refuse it before even reading its body. */
    get isFull(): boolean {
        return this.inFlight >= this.options.maxQueueLength;
    }

    async predict(rows: readonly (readonly number[])[]): Promise<Prediction[]> {
        if (rows.length === 0) return [];
        if (this.isFull) throw new QueueFullError(this.options.maxQueueLength);
        this.inFlight += 1;
        this.metrics.queueLength.inc();
        const stopTimer = this.metrics.predictionDuration.startTimer();
        try {
            // Each request still counts once in the queue gauge while it waits for its batch.
            const predictions = await (this.batcher ? this.batcher.submit(rows) : this.run(rows));
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
        // Plain loops, no per-row closures: a 128-row batch runs them 128 times per request (the batch path).
        const width = this.featureCount;
        const values = new Float32Array(rows.length * width);
        for (let i = 0; i < rows.length; i++) values.set(rows[i], i * width);
        const outputs = await this.session.run({ [INPUT_NAME]: new ort.Tensor("float32", values, [rows.length, this.featureCount]) });
        const [estimate, lower, upper] = OUTPUT_NAMES.map((name) => {
            const data = outputs[name]?.data;
            if (!(data instanceof Float32Array) || data.length !== rows.length) {
                throw new InferenceError(`model output "${name}" does not hold one FP32 value per row`);
            }
            return data;
        });
        const predictions = new Array<Prediction>(rows.length);
        for (let i = 0; i < rows.length; i++) predictions[i] = { estimate: estimate[i], lower: lower[i], upper: upper[i] };
        return predictions;
    }
}
