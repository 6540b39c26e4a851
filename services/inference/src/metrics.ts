import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { METRIC_NAMES, REJECTION_REASONS } from "./contract";

/** Every metric the service exports, on a registry of its own so several apps can share one process (tests). */
export interface ServiceMetrics {
    registry: Registry;
    predictions: Counter;
    predictionDuration: Histogram;
    queueLength: Gauge;
    inferenceErrors: Counter;
    cacheHits: Counter;
    cacheMisses: Counter;
    rejected: Counter<"reason">;
    /** Model calls answered, and refused at the socket, by status: request rate and 5xx share per model version. */
    requests: Counter<"status_code">;
    requestDuration: Histogram<"status_code">;
}

export function createMetrics(labels: { model: string; model_version: string }): ServiceMetrics {
    const registry = new Registry();
    registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: registry });
    const registers = [registry];
    return {
        registry,
        predictions: new Counter({
            name: METRIC_NAMES.predictions,
            help: "Rows evaluated by the model (cache hits are counted in prediction_cache_hits_total instead).",
            registers,
        }),
        predictionDuration: new Histogram({
            name: METRIC_NAMES.predictionDuration,
            help: "Time from a request reaching the model runner to its outputs, including any wait for the model.",
            // Sub-millisecond buckets: a tabular model answers in microseconds, the tail is queueing.
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers,
        }),
        queueLength: new Gauge({
            name: METRIC_NAMES.queueLength,
            help: "Requests waiting for or running on the model right now; the HPA scales on this.",
            registers,
        }),
        inferenceErrors: new Counter({
            name: METRIC_NAMES.inferenceErrors,
            help: "Model calls that failed inside onnxruntime and were answered with a 500.",
            registers,
        }),
        cacheHits: new Counter({ name: METRIC_NAMES.cacheHits, help: "Rows answered from the prediction cache.", registers }),
        cacheMisses: new Counter({ name: METRIC_NAMES.cacheMisses, help: "Rows not found in the prediction cache.", registers }),
        rejected: new Counter({
            name: METRIC_NAMES.rejected,
            help: `Model calls refused with 503 before reaching the model, by reason (${REJECTION_REASONS.join(", ")}).`,
            labelNames: ["reason"],
            registers,
        }),
        requests: new Counter({
            name: METRIC_NAMES.requests,
            help: "Model calls (POST /predict, /v2/models/…/infer) answered, including those refused at the socket, by status code.",
            labelNames: ["status_code"],
            registers,
        }),
        requestDuration: new Histogram({
            name: METRIC_NAMES.requestDuration,
            help: "Time from a model call's arrival to its response, by status code: what a latency SLO is written against.",
            labelNames: ["status_code"],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            registers,
        }),
    };
}
