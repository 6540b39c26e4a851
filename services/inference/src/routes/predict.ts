import type { FastifyPluginAsync } from "fastify";
import type { Prediction } from "../inference/runner";
import { errorResponseSchema } from "../http/errors";
import { fastApiErrorSchema, handlePredictError, IGNORED_FIELDS_HEADER, relaxPredictBody } from "../http/fastapi-compat";
import { inputsUsedOf, instanceSchema, type PredictInstance, rowFromInstance } from "../model/features";

const predictionSchema = {
    type: "object",
    required: ["estimated_value", "confidence_interval", "model_version"],
    properties: {
        estimated_value: { type: "number", description: "Estimated value in USD" },
        confidence_interval: {
            type: "array",
            items: { type: "number" },
            minItems: 2,
            maxItems: 2,
            description: "[low, high] bounds in USD at the model's interval level",
        },
        model_version: { type: "string" },
        inputs_used: { type: "array", items: { type: "string" }, description: "The request fields the estimate used (optional inputs the body left out are not listed)" },
    },
} as const;

interface BatchBody {
    instances: PredictInstance[];
}
type PredictBody = PredictInstance | BatchBody;

function isBatch(body: PredictBody): body is BatchBody {
    return Array.isArray(body.instances);
}

/** POST /predict: one property, or {instances: [...]} up to the configured maximum batch. */
export const predictRoutes: FastifyPluginAsync = async (app) => {
    const plane = app.serving;
    const { metadata, maxBatch } = plane;
    const instance = instanceSchema(metadata);
    const fields = new Map(Object.entries(instance.properties as Record<string, { type: string }>).map(([name, schema]) => [name, schema.type]));
    const inputsUsed = inputsUsedOf(metadata);
    const toResponse = (p: Prediction, i: PredictInstance) => ({
        estimated_value: p.estimate,
        confidence_interval: [p.lower, p.upper],
        model_version: metadata.version,
        inputs_used: inputsUsed(i),
    });

    app.post<{ Body: PredictBody }>(
        "/predict",
        {
            schema: {
                summary: "Estimate a property's value",
                description: `Features and their valid ranges come from the model's metadata (${metadata.name} v${metadata.version}).`,
                body: {
                    if: { type: "object", required: ["instances"] },
                    then: {
                        type: "object",
                        additionalProperties: false,
                        required: ["instances"],
                        properties: { instances: { type: "array", minItems: 1, maxItems: maxBatch, items: instance } },
                    },
                    else: instance,
                },
                response: {
                    // One object type for both shapes: fast-json-stringify skips absent keys, and avoids oneOf's per-reply validation.
                    200: {
                        type: "object",
                        description: "A single prediction, or {predictions} in request order for {instances}",
                        properties: { ...predictionSchema.properties, predictions: { type: "array", items: predictionSchema } },
                    },
                    "4xx": fastApiErrorSchema,
                    "5xx": errorResponseSchema,
                },
            },
            // FastAPI-era clients: numeric strings read as numbers, unknown fields ignored (named in a header), 422 + detail.
            preValidation: async (request, reply) => {
                const ignored = relaxPredictBody(request.body, fields);
                if (ignored.length > 0) void reply.header(IGNORED_FIELDS_HEADER, ignored.map(encodeURIComponent).join(", ").slice(0, 1000));
            },
            errorHandler: handlePredictError,
        },
        async (request) => {
            const body = request.body;
            if (isBatch(body)) {
                const predictions = await plane.predict(body.instances.map((i) => rowFromInstance(metadata, i)));
                return { predictions: predictions.map((p, k) => toResponse(p, body.instances[k])) };
            }
            const [prediction] = await plane.predict([rowFromInstance(metadata, body)]);
            return toResponse(prediction, body);
        },
    );
};
