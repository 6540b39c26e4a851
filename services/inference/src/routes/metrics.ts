import type { FastifyPluginAsync } from "fastify";
import type { Registry } from "prom-client";
import { METRICS_PATH } from "../contract";

/** Prometheus text exposition of the app's registry. */
export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
    app.get(METRICS_PATH, { schema: { tags: ["Operations"], summary: "Prometheus metrics", produces: [registry.contentType] } }, async (_request, reply) => {
        return reply.type(registry.contentType).send(await registry.metrics());
    });
};
