import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceConfig } from "../config";
import { ConcurrencyLimit, isModelCall, refuseAtSocket } from "../http/admission";
import { PredictionCache, predictThroughCache } from "../inference/cache";
import { type ModelSession, ModelRunner, type Prediction, QueueFullError } from "../inference/runner";
import type { ModelMetadata } from "../model/metadata";
import type { ServiceMetrics } from "../metrics";
import type { Overflow, OverflowConfig } from "../overflow";
import { type Rejection, rejections } from "./rejection";

export type ReadinessState = "loading" | "ready" | "draining" | "failed";

/**
 * overflow.ts pulls in the AWS and Google auth SDKs (~150 ms of cold start), so it is loaded only when an
 * overflow is configured. A plain require, not import(): under the tests' CommonJS TypeScript hook a dynamic
 * import of a local .ts module does not resolve, and esbuild turns this require into a lazy init in the bundle.
 */
export function loadOverflowModule(): typeof import("../overflow") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("../overflow") as typeof import("../overflow");
}

export interface DataPlaneOptions {
    config: ServiceConfig;
    metadata: ModelMetadata;
    metrics: ServiceMetrics;
    /** Resolves to the warmed model session; the plane is ready once it does. */
    session: Promise<ModelSession>;
    /** Hybrid serving: forward model calls to a serverless copy once the queue reaches a threshold. */
    overflow?: OverflowConfig;
}

/**
 * Everything between an HTTP route and the model (as KServe's DataPlane): readiness, admission, the overflow,
 * the prediction cache and the model's queue. Routes parse and answer; this decides whether and how a model
 * call runs. Every overload decision and every refusal is made here.
 */
export class DataPlane {
    readonly metadata: ModelMetadata;
    readonly metrics: ServiceMetrics;
    /** Resolves once the model is loaded and warmed; rejects with the reason it could not be. */
    readonly loaded: Promise<void>;
    /** Rows one request may carry (/predict batch or v2 tensor). */
    readonly maxBatch: number;
    /**
     * Without an overflow to spill to, model calls over the concurrency limit are shed at the socket, where a
     * refusal costs least; with one, the onRequest gate decides between spilling and shedding.
     */
    readonly shedsAtSocket: boolean;

    private readonly config: ServiceConfig;
    private readonly admission: ConcurrencyLimit;
    private readonly cache: PredictionCache | undefined;
    private readonly session: Promise<ModelSession>;
    private overflow: Overflow | undefined;
    private runner: ModelRunner | undefined;
    private loadFailed = false;
    private draining = false;

    constructor(options: DataPlaneOptions) {
        const { config, metadata, metrics } = options;
        this.config = config;
        this.metadata = metadata;
        this.metrics = metrics;
        this.maxBatch = config.predictMaxBatch;
        this.admission = new ConcurrencyLimit(config.maxConcurrentRequests);
        this.cache = config.cacheMaxEntries > 0
            ? new PredictionCache({ maxEntries: config.cacheMaxEntries, ttlSeconds: config.cacheTtlSeconds, hits: metrics.cacheHits, misses: metrics.cacheMisses })
            : undefined;
        this.shedsAtSocket = options.overflow === undefined;
        if (options.overflow) this.overflow = new (loadOverflowModule().Overflow)(options.overflow, metrics.registry);
        this.session = options.session;
        this.loaded = options.session.then(
            (session) => {
                this.runner = new ModelRunner(session, metadata.features.length, metrics, {
                    maxQueueLength: config.maxQueueLength,
                    ...(config.batchMaxSize > 0 ? { batching: { maxBatchSize: config.batchMaxSize, maxDelayMs: config.batchMaxDelayMs } } : {}),
                });
            },
            (error: unknown) => {
                this.loadFailed = true;
                throw error;
            },
        );
        // The entry point decides what a failed load means (exit); until it looks, this is not an unhandled rejection.
        this.loaded.catch(() => undefined);
    }

    readiness(): ReadinessState {
        return this.draining ? "draining" : this.loadFailed ? "failed" : this.runner ? "ready" : "loading";
    }

    /** Readiness turns 503 at once; the caller then closes the app. */
    startDraining(): void {
        this.draining = true;
    }

    /** Counts a refusal under its reason and returns it, for the caller to throw or send. */
    refuse(rejection: Rejection): Rejection {
        this.metrics.rejected.inc({ reason: rejection.reason });
        return rejection;
    }

    /** The model's answers for feature rows (metadata column order), through the cache; a Rejection when it cannot run now. */
    async predict(rows: readonly (readonly number[])[]): Promise<Prediction[]> {
        if (this.runner === undefined) throw this.refuse(rejections.notReady());
        try {
            return await predictThroughCache(rows, this.runner, this.cache);
        } catch (error) {
            if (error instanceof QueueFullError) throw this.refuse(rejections.queueFull(error.maxQueueLength));
            throw error;
        }
    }

    /** The HTTP server's first look at a request, before fastify: false when it was refused at the socket. */
    admitAtSocket(request: IncomingMessage, response: ServerResponse): boolean {
        if (!this.shedsAtSocket || !isModelCall(request) || this.admission.tryAdmit(response)) return true;
        const rejection = this.refuse(rejections.concurrency(this.admission.limit));
        refuseAtSocket(response, rejection);
        this.countAnswer(rejection.statusCode, 0);
        return false;
    }

    /** Counts one answered model call under the served model version (the registry's default labels). */
    countAnswer(statusCode: number, seconds: number): void {
        const labels = { status_code: String(statusCode) };
        this.metrics.requests.inc(labels);
        this.metrics.requestDuration.observe(labels, seconds);
    }

    /**
     * The model routes' onRequest gate, before the body is read: spill to the overflow, or refuse when the
     * queue or (with an overflow) the request limit is at its bound. True when the overflow answered.
     */
    async gate(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
        if (!isModelCall(request)) return false;
        const runner = this.runner;
        if (this.overflow && runner && this.overflow.shouldSpill(request, runner.queueLength)) {
            if (await this.overflow.forward(request, reply)) return true;
            throw this.refuse(rejections.overflowFailed(this.overflow.config.queueThreshold));
        }
        if (runner?.isFull) throw this.refuse(rejections.queueFull(this.config.maxQueueLength));
        if (!this.shedsAtSocket && !this.admission.tryAdmit(reply.raw)) throw this.refuse(rejections.concurrency(this.admission.limit));
        return false;
    }

    /** Releases the model session (app close). */
    async close(): Promise<void> {
        const session = await this.session.catch(() => undefined);
        if (session && "release" in session && typeof session.release === "function") await session.release();
    }
}
