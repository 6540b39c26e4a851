import type { FastifyPluginAsync } from "fastify";
import { METRICS_PATH } from "../contract";

/** Prometheus text exposition of the app's registry. */
export const metricsRoute: FastifyPluginAsync = async (app) => {
    const { registry } = app.serving.metrics;
    app.get(METRICS_PATH, { schema: { tags: ["Operations"], summary: "Prometheus metrics", produces: [registry.contentType] } }, async (_request, reply) => {
        return reply.type(registry.contentType).send(await registry.metrics());
    });
};
