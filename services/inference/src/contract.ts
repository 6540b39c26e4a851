// The service ↔ infrastructure contract: every name both sides must spell the same way (environment variables,
// port, probe paths, metric names, headers), defined once. The service parses with it (config.ts, overflow.ts)
// and serves with it (routes, metrics.ts); the Pulumi components render with it. Dependency-free on purpose —
// no fastify, no onnxruntime, not even node: builtins — so components/ can import it without pulling the
// service's runtime in: `import { SERVICE_ENV } from "../../services/inference/src/contract"`.

/** The port the server listens on unless PORT says otherwise, and the one every backend routes to. */
export const DEFAULT_PORT = 8080;

/** Probe and scrape paths the platforms call. */
export const PROBE_PATHS = {
    /** Liveness: 200 while the process answers. */
    liveness: "/health",
    /** Readiness: 503 until the model is warmed and from SIGTERM on. */
    readiness: "/ready",
} as const;
export const METRICS_PATH = "/metrics";

/** Prometheus metric names the service exports; the HPA and dashboards read them. */
export const METRIC_NAMES = {
    /** Requests waiting for or running on the model: the HPA's custom metric. */
    queueLength: "inference_queue_length",
    /** Model calls answered (and refused at the socket), by status_code: the dashboards' and alerts' request rate and 5xx share. */
    requests: "inference_requests_total",
    /** Model-call latency from request to response, seconds: the dashboards' p50/p99 and the latency SLO alert. */
    requestDuration: "inference_request_duration_seconds",
    predictions: "model_predictions_total",
    predictionDuration: "model_prediction_duration_seconds",
    inferenceErrors: "model_inference_errors_total",
    cacheHits: "prediction_cache_hits_total",
    cacheMisses: "prediction_cache_misses_total",
    rejected: "http_requests_rejected_total",
    overflowRequests: "inference_overflow_requests_total",
} as const;

/** Values of http_requests_rejected_total's `reason` label: why a model call was refused with 503 before reaching the model. */
export const REJECTION_REASONS = ["concurrency", "queue_full", "not_ready", "event_loop_delay"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Carries one id across services: a sane incoming value is kept, and every response echoes it. */
export const REQUEST_ID_HEADER = "x-request-id";
/** Set on requests forwarded to the hybrid overflow, so a copy never forwards them again. */
export const OVERFLOW_HOP_HEADER = "x-overflow-hop";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** auto: human-readable on an interactive terminal, JSON lines otherwise (always JSON in production). */
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const GRAPH_OPTIMIZATIONS = ["disabled", "basic", "extended", "all"] as const;
export type GraphOptimization = (typeof GRAPH_OPTIMIZATIONS)[number];
/** How the hybrid baseline authenticates to a private overflow (see overflow-auth.ts). */
export const OVERFLOW_AUTH_MODES = ["none", "aws-iam", "gcp-id-token"] as const;
export type OverflowAuthMode = (typeof OVERFLOW_AUTH_MODES)[number];
export const BOOLEAN_WORDS = ["true", "false"] as const;

/** A whole number in [min, max], written in plain decimal digits. */
export interface IntegerVariable {
    kind: "integer";
    name: string;
    min: number;
    max: number;
    /** Absent when the default depends on another setting (said in `description`). */
    default?: number;
    description: string;
}

/** One of a fixed list of words. */
export interface ChoiceVariable<T extends string = string> {
    kind: "choice";
    name: string;
    values: readonly T[];
    default: T;
    description: string;
}

/** Free text (a path, a host, a URL); blank means unset. */
export interface TextVariable {
    kind: "text";
    name: string;
    /** Absent when unset means "not used" or a default computed at runtime (said in `description`). */
    default?: string;
    description: string;
}

export type EnvVariable = IntegerVariable | ChoiceVariable | TextVariable;

const integer = (name: string, min: number, max: number, fallback: number, description: string): IntegerVariable & { default: number } =>
    ({ kind: "integer", name, min, max, default: fallback, description });
const choice = <T extends string>(name: string, values: readonly T[], fallback: NoInfer<T>, description: string): ChoiceVariable<T> =>
    ({ kind: "choice", name, values, default: fallback, description });
const text = (name: string, fallback: string | undefined, description: string): TextVariable =>
    ({ kind: "text", name, ...(fallback === undefined ? {} : { default: fallback }), description });

/** Every environment variable the service reads (except the platform's own, such as AWS_REGION). */
export const SERVICE_ENV = {
    port: integer("PORT", 0, 65535, DEFAULT_PORT, "listen port (Cloud Run sets it); 0 asks the OS for a free one"),
    host: text("HOST", "0.0.0.0", "listen address"),
    modelDir: text("MODEL_DIR", undefined, "directory with model.onnx + metadata.json; unset = the bundled model"),
    bundledModelVersion: text("MODEL_VERSION", undefined, "with MODEL_DIR unset: which bundled version to serve (models/property-valuation/<version>); unset = 1"),
    logLevel: choice("LOG_LEVEL", LOG_LEVELS, "info", "pino level"),
    logFormat: choice("LOG_FORMAT", LOG_FORMATS, "auto", "json lines, or pretty (human-readable); auto = pretty on an interactive terminal only"),
    logRequests: choice("LOG_REQUESTS", BOOLEAN_WORDS, "true", "false drops the per-request lines (incoming request, request completed); errors are still logged"),
    shutdownGraceSeconds: integer("SHUTDOWN_GRACE_SECONDS", 1, 3600, 10, "drain deadline after SIGTERM"),
    predictMaxBatch: integer("PREDICT_MAX_BATCH", 1, 100000, 256, "rows per /predict batch or v2 tensor"),
    cacheMaxEntries: integer("CACHE_MAX_ENTRIES", 0, 10000000, 10000, "prediction cache size; 0 disables it"),
    cacheTtlSeconds: integer("CACHE_TTL_SECONDS", 1, 604800, 300, "prediction cache entry lifetime"),
    bodyLimitBytes: integer("BODY_LIMIT_BYTES", 1024, 104857600, 1048576, "larger bodies get 413"),
    maxQueueLength: integer("MAX_QUEUE_LENGTH", 1, 100000, 64, "requests waiting for or running on the model"),
    maxConcurrentRequests: integer("MAX_CONCURRENT_REQUESTS", 1, 100000, 32, "model calls in progress at once"),
    maxEventLoopDelayMs: integer("MAX_EVENT_LOOP_DELAY_MS", 0, 60000, 50, "event-loop delay above which model calls get 503; 0 disables"),
    requestTimeoutSeconds: integer("REQUEST_TIMEOUT_SECONDS", 1, 3600, 30, "a request not fully received by then gets 408"),
    batchMaxSize: integer("BATCH_MAX_SIZE", 0, 100000, 64, "rows per coalesced session.run (dynamic batching); 0 disables it"),
    batchMaxDelayMs: integer("BATCH_MAX_DELAY_MS", 0, 1000, 0, "how long a request may wait for others to batch with; 0 = same event-loop turn only"),
    ortIntraOpThreads: integer("ORT_INTRA_OP_THREADS", 0, 256, 0, "onnxruntime intra-op threads; 0 = one per core it sees"),
    ortInterOpThreads: integer("ORT_INTER_OP_THREADS", 0, 256, 0, "onnxruntime inter-op threads; 0 = its default"),
    ortAllowSpinning: integer("ORT_ALLOW_SPINNING", 0, 1, 0, "1 lets idle intra-op threads spin"),
    ortGraphOptimization: choice("ORT_GRAPH_OPTIMIZATION", GRAPH_OPTIMIZATIONS, "all", "onnxruntime graph optimization level"),
    overflowUrl: text("OVERFLOW_URL", undefined, "hybrid: base URL of the serverless copy model calls spill to; unset = no overflow"),
    overflowQueueThreshold: { kind: "integer", name: "OVERFLOW_QUEUE_THRESHOLD", min: 0, max: 100000, description: "hybrid: spill once this many requests are queued; default MAX_QUEUE_LENGTH" },
    overflowTimeoutMs: integer("OVERFLOW_TIMEOUT_MS", 1, 600000, 10000, "hybrid: longest a forwarded request may take"),
    overflowAuth: choice("OVERFLOW_AUTH", OVERFLOW_AUTH_MODES, "none", "hybrid: how forwarded requests authenticate to the overflow"),
    secretsArn: text("SECRETS_ARN", undefined, "Lambda: ARN of the Secrets Manager secret (a JSON object NAME → value) read once at start; each NAME becomes an environment variable unless already set; unset = no secret environment"),
} as const satisfies Record<string, EnvVariable>;

/** Every variable name, in SERVICE_ENV order. */
export const SERVICE_ENV_NAMES: readonly string[] = Object.values(SERVICE_ENV).map((variable) => variable.name);

/** Values as the environment holds them; blank counts as unset. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Plain decimal digits only: `1e3`, `0x10`, `1.0`, `-1` and `+1` are refused, never reinterpreted. */
const DIGITS = /^[0-9]+$/;

/** Why `raw` is not a valid value of `variable`, or undefined when it is (the components check stack values with it). */
export function variableProblem(variable: EnvVariable, raw: string): string | undefined {
    const value = raw.trim();
    switch (variable.kind) {
        case "integer": {
            const n = Number(value);
            if (DIGITS.test(value) && Number.isSafeInteger(n) && n >= variable.min && n <= variable.max) return undefined;
            return `${variable.name}=${JSON.stringify(raw)} must be an integer from ${variable.min} to ${variable.max}`;
        }
        case "choice":
            if ((variable.values as readonly string[]).includes(value)) return undefined;
            return `${variable.name}=${JSON.stringify(raw)} must be one of ${variable.values.join(", ")}`;
        case "text":
            return undefined;
    }
}

/** The raw value, or undefined when unset or blank. */
export function rawValue(env: Environment, variable: EnvVariable): string | undefined {
    const raw = env[variable.name];
    return raw === undefined || raw.trim() === "" ? undefined : raw;
}

/**
 * Reads one integer variable: its default (or `fallback`) when unset; when invalid, the problem is pushed
 * and the fallback returned, so a caller collects every bad variable before failing.
 */
export function readInteger(env: Environment, variable: IntegerVariable, problems: string[], fallback = variable.default): number {
    if (fallback === undefined) throw new Error(`${variable.name} has no default; pass one`);
    const raw = rawValue(env, variable);
    if (raw === undefined) return fallback;
    const problem = variableProblem(variable, raw);
    if (problem !== undefined) {
        problems.push(problem);
        return fallback;
    }
    return Number(raw.trim());
}

/** Reads one choice variable, as readInteger does. */
export function readChoice<T extends string>(env: Environment, variable: ChoiceVariable<T>, problems: string[]): T {
    const raw = rawValue(env, variable);
    if (raw === undefined) return variable.default;
    const problem = variableProblem(variable, raw);
    if (problem !== undefined) {
        problems.push(problem);
        return variable.default;
    }
    return raw.trim() as T;
}

/** Reads one text variable, trimmed; undefined when unset and without a default. */
export function readText(env: Environment, variable: TextVariable): string | undefined {
    return rawValue(env, variable)?.trim() ?? variable.default;
}
