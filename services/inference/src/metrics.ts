import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

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
}

export function createMetrics(labels: { model: string; model_version: string }): ServiceMetrics {
    const registry = new Registry();
    registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: registry });
    const registers = [registry];
    return {
        registry,
        predictions: new Counter({
            name: "model_predictions_total",
            help: "Rows evaluated by the model (cache hits are counted in prediction_cache_hits_total instead).",
            registers,
        }),
        predictionDuration: new Histogram({
            name: "model_prediction_duration_seconds",
            help: "Time from a request reaching the model runner to its outputs, including any wait for the model.",
            // Sub-millisecond buckets: a tabular model answers in microseconds, the tail is queueing.
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers,
        }),
        queueLength: new Gauge({
            name: "inference_queue_length",
            help: "Requests waiting for or running on the model right now; the HPA scales on this.",
            registers,
        }),
        inferenceErrors: new Counter({
            name: "model_inference_errors_total",
            help: "Model calls that failed inside onnxruntime and were answered with a 500.",
            registers,
        }),
        cacheHits: new Counter({ name: "prediction_cache_hits_total", help: "Rows answered from the prediction cache.", registers }),
        cacheMisses: new Counter({ name: "prediction_cache_misses_total", help: "Rows not found in the prediction cache.", registers }),
        rejected: new Counter({
            name: "http_requests_rejected_total",
            help: "Requests refused before reaching the model, by reason (overload, draining, not_ready).",
            labelNames: ["reason"],
            registers,
        }),
    };
}
