import * as path from "node:path";
import { type Environment, type GraphOptimization, type IntegerVariable, type LogFormat, type LogLevel, readChoice, readInteger, readText, SERVICE_ENV } from "./contract";

/** Everything the service reads from its environment, parsed once at startup. */
export interface ServiceConfig {
    port: number;
    host: string;
    modelDir: string;
    logLevel: LogLevel;
    /** JSON lines, or human-readable (pino-pretty); auto picks pretty on an interactive terminal. */
    logFormat: LogFormat;
    /** false drops fastify's per-request lines; errors are still logged. */
    logRequests: boolean;
    shutdownGraceSeconds: number;
    predictMaxBatch: number;
    cacheMaxEntries: number;
    cacheTtlSeconds: number;
    bodyLimitBytes: number;
    maxQueueLength: number;
    maxConcurrentRequests: number;
    maxEventLoopDelayMs: number;
    requestTimeoutSeconds: number;
    /** Dynamic batching of concurrent requests into one session.run (0 = off); see docs/performance.md. */
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

/**
 * The service directory (package.json, models/): one level above this file both in src/ and in the dist/
 * bundle, so it resolves in the repo, the image and Lambda alike. Paths relative to other modules would not
 * survive bundling.
 */
export const SERVICE_DIR = path.resolve(__dirname, "..");
export const DEFAULT_MODEL_DIR = path.join(SERVICE_DIR, "models", "property-valuation", "1");

const E = SERVICE_ENV;

/** The contract's defaults, as a config. */
export const DEFAULT_CONFIG: ServiceConfig = {
    port: E.port.default,
    host: "0.0.0.0",
    modelDir: DEFAULT_MODEL_DIR,
    logLevel: E.logLevel.default,
    logFormat: E.logFormat.default,
    logRequests: E.logRequests.default === "true",
    shutdownGraceSeconds: E.shutdownGraceSeconds.default,
    predictMaxBatch: E.predictMaxBatch.default,
    cacheMaxEntries: E.cacheMaxEntries.default,
    cacheTtlSeconds: E.cacheTtlSeconds.default,
    bodyLimitBytes: E.bodyLimitBytes.default,
    maxQueueLength: E.maxQueueLength.default,
    maxConcurrentRequests: E.maxConcurrentRequests.default,
    maxEventLoopDelayMs: E.maxEventLoopDelayMs.default,
    requestTimeoutSeconds: E.requestTimeoutSeconds.default,
    // On by default: coalescing same-turn requests doubled /predict throughput on 2 cores (docs/performance.md).
    batchMaxSize: E.batchMaxSize.default,
    batchMaxDelayMs: E.batchMaxDelayMs.default,
    // Spinning off won on every shape measured (bench/results/session-options.json); the intra-op count is
    // per shape (docs/performance.md): 0 = one per core onnxruntime sees.
    session: {
        intraOpThreads: E.ortIntraOpThreads.default,
        interOpThreads: E.ortInterOpThreads.default,
        allowSpinning: E.ortAllowSpinning.default === 1,
        graphOptimization: E.ortGraphOptimization.default,
    },
};

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid configuration: ${problems.join("; ")}`);
        this.name = "ConfigError";
    }
}

/**
 * Parses the service's environment variables (names, ranges and defaults from contract.ts). Collects every
 * problem before failing so that one deploy reveals all mistakes at once, each naming the variable and what it accepts.
 */
export function parseConfig(env: Environment): ServiceConfig {
    const problems: string[] = [];
    const int = (variable: IntegerVariable): number => readInteger(env, variable, problems);
    const modelDir = readText(env, E.modelDir);
    const bundledVersion = readText(env, E.bundledModelVersion);
    if (bundledVersion !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bundledVersion)) {
        problems.push(`${E.bundledModelVersion.name}=${JSON.stringify(bundledVersion)} must be one directory name (letters, digits, '.', '_', '-')`);
    }
    const config: ServiceConfig = {
        port: int(E.port),
        host: readText(env, E.host) ?? DEFAULT_CONFIG.host,
        modelDir: modelDir !== undefined ? path.resolve(modelDir) : bundledVersion !== undefined ? path.join(path.dirname(DEFAULT_MODEL_DIR), bundledVersion) : DEFAULT_MODEL_DIR,
        logLevel: readChoice(env, E.logLevel, problems),
        logFormat: readChoice(env, E.logFormat, problems),
        logRequests: readChoice(env, E.logRequests, problems) === "true",
        shutdownGraceSeconds: int(E.shutdownGraceSeconds),
        predictMaxBatch: int(E.predictMaxBatch),
        cacheMaxEntries: int(E.cacheMaxEntries),
        cacheTtlSeconds: int(E.cacheTtlSeconds),
        bodyLimitBytes: int(E.bodyLimitBytes),
        maxQueueLength: int(E.maxQueueLength),
        maxConcurrentRequests: int(E.maxConcurrentRequests),
        maxEventLoopDelayMs: int(E.maxEventLoopDelayMs),
        requestTimeoutSeconds: int(E.requestTimeoutSeconds),
        batchMaxSize: int(E.batchMaxSize),
        batchMaxDelayMs: int(E.batchMaxDelayMs),
        session: {
            intraOpThreads: int(E.ortIntraOpThreads),
            interOpThreads: int(E.ortInterOpThreads),
            allowSpinning: int(E.ortAllowSpinning) === 1,
            graphOptimization: readChoice(env, E.ortGraphOptimization, problems),
        },
    };
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
}
