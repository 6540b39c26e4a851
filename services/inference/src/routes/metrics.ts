import type { FastifyPluginAsync } from "fastify";
import type { Registry } from "prom-client";

/** Prometheus text exposition of the app's registry. */
export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
    app.get("/metrics", { schema: { tags: ["Operations"], summary: "Prometheus metrics", produces: [registry.contentType] } }, async (_request, reply) => {
        return reply.type(registry.contentType).send(await registry.metrics());
    });
};
