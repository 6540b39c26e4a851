import fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { ServiceConfig } from "./config";
import { DataPlane } from "./data-plane/data-plane";
import { dataPlanePlugin, modelCallGuard } from "./data-plane/plugin";
import { applyHttpConventions } from "./http/conventions";
import { fastifyOptions } from "./http/server-options";
import { loadMetadata, openSession } from "./model/loader";
import type { ModelMetadata } from "./model/metadata";
import type { ModelSession } from "./inference/runner";
import { loggerChoice, withServedModel } from "./logging";
import { createMetrics } from "./metrics";
import type { OverflowConfig } from "./overflow";
import { lazyDocs } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { metricsRoute } from "./routes/metrics";
import { predictRoutes } from "./routes/predict";
import { v2Routes } from "./routes/v2";

export interface BuildAppOptions {
    config: ServiceConfig;
    /** Defaults to `metadata.json` in config.modelDir. */
    metadata?: ModelMetadata;
    /** Defaults to opening `model.onnx` in config.modelDir; the app is ready once it resolves. */
    session?: Promise<ModelSession>;
    /** Pino options; defaults to config.logLevel and config.logFormat on stdout. */
    logger?: FastifyServerOptions["logger"];
    /** Extra fields on every request's log lines (the Lambda entry adds `cold`). */
    logBindings?: () => Record<string, unknown>;
    /** Hybrid serving: forward model calls to a serverless copy once the queue reaches a threshold. */
    overflow?: OverflowConfig;
}

/** The one factory behind the server, the Lambda handler and the tests: composition only. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
    const { config } = options;
    const metadata = options.metadata ?? loadMetadata(config.modelDir);
    const served = { model: metadata.name, model_version: metadata.version };
    const plane = new DataPlane({
        config,
        metadata,
        metrics: createMetrics(served),
        session: options.session ?? openSession(config.modelDir, metadata, config.session),
        ...(options.overflow ? { overflow: options.overflow } : {}),
    });
    const app = fastify(fastifyOptions(config, plane, { logger: withServedModel(options.logger ?? loggerChoice(config.logLevel, config.logFormat), served), logBindings: options.logBindings }));

    await app.register(dataPlanePlugin, { plane });
    applyHttpConventions(app);
    lazyDocs(app, { title: `${metadata.name} inference service`, version: metadata.version, description: metadata.description });
    await app.register(healthRoutes);
    await app.register(metricsRoute);
    // Model routes sit in their own context so overload protection never touches /health, /ready or /metrics.
    await app.register(async (modelRoutes) => {
        await modelRoutes.register(modelCallGuard, { maxEventLoopDelayMs: config.maxEventLoopDelayMs });
        await modelRoutes.register(predictRoutes);
        await modelRoutes.register(v2Routes, { prefix: "/v2" });
    });
    return app;
}
