import * as path from "node:path";

/** Everything the service reads from its environment, parsed once at startup. */
export interface ServiceConfig {
    port: number;
    host: string;
    modelDir: string;
    logLevel: LogLevel;
    shutdownGraceSeconds: number;
    predictMaxBatch: number;
    cacheMaxEntries: number;
    cacheTtlSeconds: number;
    bodyLimitBytes: number;
    maxQueueLength: number;
    maxConcurrentRequests: number;
    maxEventLoopDelayMs: number;
    requestTimeoutSeconds: number;
    /** Dynamic batching of concurrent requests into one session.run (0 = off); see README "Performance". */
    batchMaxSize: number;
    batchMaxDelayMs: number;
    session: SessionTuning;
}

/** onnxruntime session options, chosen by measurement per deployment shape (bench/session-options.ts). */
export interface SessionTuning {
    /** 0 lets onnxruntime use one thread per core it sees, which in a container is the node's, not the limit. */
    intraOpThreads: number;
    interOpThreads: number;
    /** Spinning intra-op threads burn CPU between runs that the event loop needs for HTTP. */
    allowSpinning: boolean;
    graphOptimization: GraphOptimization;
}

export const GRAPH_OPTIMIZATIONS = ["disabled", "basic", "extended", "all"] as const;
export type GraphOptimization = (typeof GRAPH_OPTIMIZATIONS)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The service directory (package.json, models/): one level above this file both in src/ and in the dist/
 * bundle, so it resolves in the repo, the image and Lambda alike. Paths relative to other modules would not
 * survive bundling.
 */
export const SERVICE_DIR = path.resolve(__dirname, "..");
export const DEFAULT_MODEL_DIR = path.join(SERVICE_DIR, "models", "property-valuation", "1");

export const DEFAULT_CONFIG: ServiceConfig = {
    port: 8080,
    host: "0.0.0.0",
    modelDir: DEFAULT_MODEL_DIR,
    logLevel: "info",
    shutdownGraceSeconds: 10,
    predictMaxBatch: 256,
    cacheMaxEntries: 10000,
    cacheTtlSeconds: 300,
    bodyLimitBytes: 1048576,
    maxQueueLength: 64,
    maxConcurrentRequests: 32,
    maxEventLoopDelayMs: 50,
    requestTimeoutSeconds: 30,
    // On by default: coalescing same-turn requests doubled /predict throughput on 2 cores (README "Performance").
    batchMaxSize: 64,
    batchMaxDelayMs: 0,
    // Spinning off won on every shape measured (bench/results/session-options.json); the intra-op count is
    // per shape (README "Performance"): 0 = one per core onnxruntime sees.
    session: { intraOpThreads: 0, interOpThreads: 0, allowSpinning: false, graphOptimization: "all" },
};

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid configuration: ${problems.join("; ")}`);
        this.name = "ConfigError";
    }
}

interface IntegerRule {
    variable: string;
    min: number;
    max: number;
}

function parseInteger(env: NodeJS.ProcessEnv, rule: IntegerRule, fallback: number, problems: string[]): number {
    const raw = env[rule.variable];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw.trim());
    if (!/^[0-9]+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
        problems.push(`${rule.variable}=${JSON.stringify(raw)} must be an integer from ${rule.min} to ${rule.max}`);
        return fallback;
    }
    return value;
}

function parseGraphOptimization(env: NodeJS.ProcessEnv, fallback: GraphOptimization, problems: string[]): GraphOptimization {
    const raw = env.ORT_GRAPH_OPTIMIZATION?.trim();
    if (!raw) return fallback;
    if ((GRAPH_OPTIMIZATIONS as readonly string[]).includes(raw)) return raw as GraphOptimization;
    problems.push(`ORT_GRAPH_OPTIMIZATION=${JSON.stringify(raw)} must be one of ${GRAPH_OPTIMIZATIONS.join(", ")}`);
    return fallback;
}

/**
 * Parses the service's environment variables. Collects every problem before failing so that one
 * deploy reveals all mistakes at once, each message naming the variable and what it accepts.
 */
export function parseConfig(env: NodeJS.ProcessEnv): ServiceConfig {
    const problems: string[] = [];
    const d = DEFAULT_CONFIG;
    const logLevel = (env.LOG_LEVEL?.trim() || d.logLevel) as LogLevel;
    if (!LOG_LEVELS.includes(logLevel)) {
        problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)} must be one of ${LOG_LEVELS.join(", ")}`);
    }
    const config: ServiceConfig = {
        // 0 asks the OS for a free port, which tests and local tools use.
        port: parseInteger(env, { variable: "PORT", min: 0, max: 65535 }, d.port, problems),
        host: env.HOST?.trim() || d.host,
        modelDir: env.MODEL_DIR?.trim() ? path.resolve(env.MODEL_DIR.trim()) : d.modelDir,
        logLevel,
        shutdownGraceSeconds: parseInteger(env, { variable: "SHUTDOWN_GRACE_SECONDS", min: 1, max: 3600 }, d.shutdownGraceSeconds, problems),
        predictMaxBatch: parseInteger(env, { variable: "PREDICT_MAX_BATCH", min: 1, max: 100000 }, d.predictMaxBatch, problems),
        cacheMaxEntries: parseInteger(env, { variable: "CACHE_MAX_ENTRIES", min: 0, max: 10000000 }, d.cacheMaxEntries, problems),
        cacheTtlSeconds: parseInteger(env, { variable: "CACHE_TTL_SECONDS", min: 1, max: 604800 }, d.cacheTtlSeconds, problems),
        bodyLimitBytes: parseInteger(env, { variable: "BODY_LIMIT_BYTES", min: 1024, max: 104857600 }, d.bodyLimitBytes, problems),
        maxQueueLength: parseInteger(env, { variable: "MAX_QUEUE_LENGTH", min: 1, max: 100000 }, d.maxQueueLength, problems),
        maxConcurrentRequests: parseInteger(env, { variable: "MAX_CONCURRENT_REQUESTS", min: 1, max: 100000 }, d.maxConcurrentRequests, problems),
        // 0 turns the event-loop-delay guard off.
        maxEventLoopDelayMs: parseInteger(env, { variable: "MAX_EVENT_LOOP_DELAY_MS", min: 0, max: 60000 }, d.maxEventLoopDelayMs, problems),
        requestTimeoutSeconds: parseInteger(env, { variable: "REQUEST_TIMEOUT_SECONDS", min: 1, max: 3600 }, d.requestTimeoutSeconds, problems),
        batchMaxSize: parseInteger(env, { variable: "BATCH_MAX_SIZE", min: 0, max: 100000 }, d.batchMaxSize, problems),
        batchMaxDelayMs: parseInteger(env, { variable: "BATCH_MAX_DELAY_MS", min: 0, max: 1000 }, d.batchMaxDelayMs, problems),
        session: {
            intraOpThreads: parseInteger(env, { variable: "ORT_INTRA_OP_THREADS", min: 0, max: 256 }, d.session.intraOpThreads, problems),
            interOpThreads: parseInteger(env, { variable: "ORT_INTER_OP_THREADS", min: 0, max: 256 }, d.session.interOpThreads, problems),
            allowSpinning: parseInteger(env, { variable: "ORT_ALLOW_SPINNING", min: 0, max: 1 }, d.session.allowSpinning ? 1 : 0, problems) === 1,
            graphOptimization: parseGraphOptimization(env, d.session.graphOptimization, problems),
        },
    };
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
}
