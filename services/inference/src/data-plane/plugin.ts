import underPressure from "@fastify/under-pressure";
import fp from "fastify-plugin";
import { isModelCall } from "../http/admission";
import type { DataPlane } from "./data-plane";
import { rejections } from "./rejection";

declare module "fastify" {
    interface FastifyInstance {
        /** The data plane behind the routes: readiness, admission, cache, queue and predict. */
        serving: DataPlane;
    }
}

/** Decorates the app with its data plane (app.serving) and releases the model when the app closes. */
export const dataPlanePlugin = fp<{ plane: DataPlane }>(
    async (app, { plane }) => {
        app.decorate("serving", plane);
        app.addHook("onClose", async () => plane.close());
    },
    { name: "data-plane", fastify: "5.x" },
);

/**
 * Overload protection for the context it is registered in (the model routes), never for /health, /ready or
 * /metrics: the data plane's gate before the body is read, and the event-loop-delay guard.
 */
export const modelCallGuard = fp<{ maxEventLoopDelayMs: number }>(
    async (routes, { maxEventLoopDelayMs }) => {
        const plane = routes.serving;
        routes.addHook("onRequest", async (request, reply) => {
            if (await plane.gate(request, reply)) return reply;
        });
        // Every answered model call, whatever answered it (the model, a refusal, the overflow), by status.
        routes.addHook("onResponse", async (request, reply) => {
            if (isModelCall(request)) plane.countAnswer(reply.statusCode, reply.elapsedTime / 1000);
        });
        if (maxEventLoopDelayMs > 0) {
            await routes.register(underPressure, {
                maxEventLoopDelay: maxEventLoopDelayMs,
                sampleInterval: 100,
                pressureHandler: (request, reply, _type, value) => {
                    if (!isModelCall(request)) return; // metadata and v2 health stay answerable
                    void reply.send(plane.refuse(rejections.eventLoopDelay(Number(value), maxEventLoopDelayMs)));
                },
            });
        }
    },
    { name: "model-call-guard", dependencies: ["data-plane"] },
);
