import type { FastifyPluginAsync } from "fastify";
import { PROBE_PATHS } from "../contract";

const statusSchema = { type: "object", properties: { status: { type: "string" } } };

/** Liveness says the process answers; readiness says it should get traffic (model loaded, not draining). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
    const tags = ["Operations"];
    app.get(PROBE_PATHS.liveness, { schema: { tags, summary: "Liveness", response: { 200: statusSchema } } }, async () => ({ status: "ok" }));
    app.get(PROBE_PATHS.readiness, { schema: { tags, summary: "Readiness: 503 until the model is loaded and while draining", response: { 200: statusSchema, 503: statusSchema } } }, async (_request, reply) => {
        const status = app.serving.readiness();
        return reply.code(status === "ready" ? 200 : 503).send({ status });
    });
};
