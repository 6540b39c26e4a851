import { randomUUID } from "node:crypto";
import * as http from "node:http";
import underPressure from "@fastify/under-pressure";
import fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { ServiceConfig } from "./config";
import { REQUEST_ID_HEADER } from "./contract";
import { ConcurrencyLimit, isModelCall, refuseAtSocket } from "./http/admission";
import { HttpError, formatValidationErrors, handleError } from "./http/errors";
import { PredictionCache, predictThroughCache } from "./inference/cache";
import { type ModelSession, ModelRunner, type Prediction, QueueFullError } from "./inference/runner";
import { loadMetadata, openSession } from "./model/loader";
import type { ModelMetadata } from "./model/metadata";
import { createMetrics, type ServiceMetrics } from "./metrics";
import type { OverflowConfig } from "./overflow";

/**
 * overflow.ts pulls in the AWS and Google auth SDKs (~150 ms of cold start), so it is loaded only when an
 * overflow is configured. A plain require, not import(): under the tests' CommonJS TypeScript hook a dynamic
 * import of a local .ts module does not resolve, and esbuild turns this require into a lazy init in the bundle.
 */
export function loadOverflowModule(): typeof import("./overflow") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./overflow") as typeof import("./overflow");
}
import { lazyDocs } from "./routes/docs";
import { healthRoutes, type ReadinessState } from "./routes/health";
import { metricsRoute } from "./routes/metrics";
import { predictRoutes } from "./routes/predict";
import { v2Routes } from "./routes/v2";

export interface BuildAppOptions {
    config: ServiceConfig;
    /** Defaults to `metadata.json` in config.modelDir. */
    metadata?: ModelMetadata;
    /** Defaults to opening `model.onnx` in config.modelDir; the app is ready once it resolves. */
    session?: Promise<ModelSession>;
    /** Pino options; defaults to JSON on stdout at config.logLevel. */
    logger?: FastifyServerOptions["logger"];
    /** Extra fields on every request's log lines (the Lambda entry adds `cold`). */
    logBindings?: () => Record<string, unknown>;
    /** Hybrid serving: forward model calls to a serverless copy once the queue reaches a threshold. */
    overflow?: OverflowConfig;
}

/** What the entry points need to steer the app's lifecycle. */
export interface Serving {
    metadata: ModelMetadata;
    metrics: ServiceMetrics;
    /** Resolves once the model is loaded and warmed; rejects with the reason it could not be. */
    loaded: Promise<void>;
    readiness(): ReadinessState;
    /** Readiness turns 503 at once; the caller then closes the app. */
    startDraining(): void;
}

declare module "fastify" {
    interface FastifyInstance {
        serving: Serving;
    }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a caller's x-request-id when it is sane, so one id follows a request across services. */
function requestId(request: http.IncomingMessage): string {
    const header = request.headers[REQUEST_ID_HEADER];
    return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The one factory behind the server, the Lambda handler and the tests. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
    const { config } = options;
    const metadata = options.metadata ?? loadMetadata(config.modelDir);
    const logBindings = options.logBindings;
    const metrics = createMetrics({ model: metadata.name, model_version: metadata.version });
    const admission = new ConcurrencyLimit(config.maxConcurrentRequests);
    const atCapacity = JSON.stringify({ error: `server at capacity (${config.maxConcurrentRequests} requests in progress); retry shortly` });
    const httpOptions: http.ServerOptions = {
        // Slow clients: the whole request (headers and body) must arrive within this, or 408. Node only
        // enforces it when given at construction, in a sweep every connectionsCheckingInterval.
        requestTimeout: config.requestTimeoutSeconds * 1000,
        headersTimeout: Math.min(config.requestTimeoutSeconds * 1000, 60000),
        connectionsCheckingInterval: 1000,
        // Larger header blocks get 431 before any handler runs (Node's default, stated).
        maxHeaderSize: 16 * 1024,
    };
    // Without an overflow to spill to, requests over the concurrency limit are shed at the socket, where a
    // refusal costs least; with one, the onRequest hook below decides between spilling and shedding.
    const shedAtSocket = options.overflow === undefined;
    const app = fastify({
        logger: options.logger ?? { level: config.logLevel },
        bodyLimit: config.bodyLimitBytes,
        genReqId: requestId,
        requestIdHeader: false,
        return503OnClosing: true,
        forceCloseConnections: "idle",
        requestTimeout: config.requestTimeoutSeconds * 1000,
        serverFactory: (handler) =>
            http.createServer(httpOptions, (request, response) => {
                if (shedAtSocket && request.method === "POST" && !admission.tryAdmit(response)) {
                    metrics.rejected.inc({ reason: "concurrency" });
                    refuseAtSocket(response, atCapacity);
                    return;
                }
                handler(request, response);
            }),
        ajv: {
            // Strict JSON: no type coercion, unknown fields are errors rather than silently dropped, no NaN/Infinity.
            // validateSchema off: the route schemas are constant or generated from validated metadata, and checking
            // them against the meta-schema cost ~40 ms of every cold start; strict mode still rejects unknown keywords.
            customOptions: { coerceTypes: false, removeAdditional: false, strictNumbers: true, allErrors: false, validateSchema: false },
        },
        schemaErrorFormatter: formatValidationErrors,
        ...(logBindings ? { childLoggerFactory: (logger, bindings, opts) => logger.child({ ...bindings, ...logBindings() }, opts) } : {}),
    });

    const cache = config.cacheMaxEntries > 0
        ? new PredictionCache({ maxEntries: config.cacheMaxEntries, ttlSeconds: config.cacheTtlSeconds, hits: metrics.cacheHits, misses: metrics.cacheMisses })
        : undefined;

    let runner: ModelRunner | undefined;
    let loadFailed = false;
    let draining = false;
    const sessionPromise = options.session ?? openSession(config.modelDir, metadata, config.session);
    const loaded = sessionPromise.then(
        (session) => {
            runner = new ModelRunner(session, metadata.features.length, metrics, {
                maxQueueLength: config.maxQueueLength,
                ...(config.batchMaxSize > 0 ? { batching: { maxBatchSize: config.batchMaxSize, maxDelayMs: config.batchMaxDelayMs } } : {}),
            });
        },
        (error: unknown) => {
            loadFailed = true;
            throw error;
        },
    );
    // The entry point decides what a failed load means (exit); until it looks, this is not an unhandled rejection.
    loaded.catch(() => undefined);
    app.addHook("onClose", async () => {
        const session = await sessionPromise.catch(() => undefined);
        if (session && "release" in session && typeof session.release === "function") await session.release();
    });

    const readiness = (): ReadinessState => (draining ? "draining" : loadFailed ? "failed" : runner ? "ready" : "loading");
    const overloaded = (message: string): HttpError => new HttpError(503, message, { "retry-after": "1" });
    const predict = async (rows: number[][]): Promise<Prediction[]> => {
        if (runner === undefined) {
            metrics.rejected.inc({ reason: "not_ready" });
            throw overloaded("the model is still loading; retry shortly");
        }
        try {
            return await predictThroughCache(rows, runner, cache);
        } catch (error) {
            if (!(error instanceof QueueFullError)) throw error;
            metrics.rejected.inc({ reason: "queue_full" });
            throw overloaded(error.message);
        }
    };

    app.decorate("serving", {
        metadata,
        metrics,
        loaded,
        readiness,
        startDraining: () => {
            draining = true;
        },
    } satisfies Serving);
    // JSON is the only body type any route takes; anything else is a 415, not a schema error on a string.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("application/json", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) => {
        void reply.code(404).send({ error: `no route ${request.method} ${request.url.slice(0, 200)}; see /docs` });
    });
    app.addHook("onSend", async (request, reply) => {
        void reply.header(REQUEST_ID_HEADER, request.id);
    });

    lazyDocs(app, { title: `${metadata.name} inference service`, version: metadata.version, description: metadata.description });
    await app.register(healthRoutes, { readiness });
    await app.register(metricsRoute, { registry: metrics.registry });
    // Model routes sit in their own context so overload protection never touches /health, /ready or /metrics.
    await app.register(async (modelRoutes) => {
        // Refuse before reading the body when the model's queue or (with an overflow) the request limit is at its bound.
        const overflow = options.overflow ? new (loadOverflowModule().Overflow)(options.overflow, metrics.registry) : undefined;
        modelRoutes.addHook("onRequest", async (request, reply) => {
            if (!isModelCall(request)) return;
            if (overflow && runner && overflow.shouldSpill(request, runner.queueLength)) {
                if (await overflow.forward(request, reply)) return reply;
                metrics.rejected.inc({ reason: "queue_full" });
                throw overloaded(`the model's queue reached ${overflow.config.queueThreshold} and the overflow did not answer; retry shortly`);
            }
            if (runner?.isFull) {
                metrics.rejected.inc({ reason: "queue_full" });
                throw overloaded(`the model's queue is full (${config.maxQueueLength} requests waiting); retry shortly`);
            }
            if (!shedAtSocket && !admission.tryAdmit(reply.raw)) {
                metrics.rejected.inc({ reason: "concurrency" });
                throw overloaded(`server at capacity (${config.maxConcurrentRequests} requests in progress); retry shortly`);
            }
        });
        if (config.maxEventLoopDelayMs > 0) {
            await modelRoutes.register(underPressure, {
                maxEventLoopDelay: config.maxEventLoopDelayMs,
                sampleInterval: 100,
                pressureHandler: (request, reply, _type, value) => {
                    if (!isModelCall(request)) return; // metadata and v2 health stay answerable
                    metrics.rejected.inc({ reason: "event_loop_delay" });
                    void reply.code(503).header("retry-after", "1").send({
                        error: `server overloaded: event loop delay ${Math.round(Number(value))} ms exceeds ${config.maxEventLoopDelayMs} ms; retry shortly`,
                    });
                },
            });
        }
        await modelRoutes.register(predictRoutes, { metadata, maxBatch: config.predictMaxBatch, predict });
        await modelRoutes.register(v2Routes, { prefix: "/v2", metadata, maxBatch: config.predictMaxBatch, predict, isReady: () => readiness() === "ready" });
    });
    return app;
}
