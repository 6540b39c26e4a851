import type { FastifyPluginAsync } from "fastify";

export type ReadinessState = "loading" | "ready" | "draining" | "failed";

export interface HealthRouteOptions {
    readiness: () => ReadinessState;
}

const statusSchema = { type: "object", properties: { status: { type: "string" } } };

/** Liveness says the process answers; readiness says it should get traffic (model loaded, not draining). */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, { readiness }) => {
    const tags = ["Operations"];
    app.get("/health", { schema: { tags, summary: "Liveness", response: { 200: statusSchema } } }, async () => ({ status: "ok" }));
    app.get("/ready", { schema: { tags, summary: "Readiness: 503 until the model is loaded and while draining", response: { 200: statusSchema, 503: statusSchema } } }, async (_request, reply) => {
        const status = readiness();
        return reply.code(status === "ready" ? 200 : 503).send({ status });
    });
};
