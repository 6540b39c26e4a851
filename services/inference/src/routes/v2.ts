import * as fs from "node:fs";
import * as path from "node:path";
import type { FastifyPluginAsync } from "fastify";
import { SERVICE_DIR } from "../config";
import { errorResponseSchema, HttpError } from "../http/errors";
import { BINARY_TENSOR_EXTENSION, binaryOutputNames, encodeBinaryInferResponse, INFERENCE_HEADER, withBinaryValues } from "./v2-binary";
import { type InferRequest, InferRequestError, inferRequestSchema, outputTensors, requestedOutputNames, rowsFromInferRequest } from "./v2-protocol";

interface ModelParams {
    name: string;
    version?: string;
}

const SERVER_VERSION: string = JSON.parse(fs.readFileSync(path.join(SERVICE_DIR, "package.json"), "utf8")).version;

const errors = { "4xx": errorResponseSchema, "5xx": errorResponseSchema };
const tensorMetadata = {
    type: "object",
    properties: { name: { type: "string" }, datatype: { type: "string" }, shape: { type: "array", items: { type: "integer" } } },
};
const params = {
    type: "object",
    properties: { name: { type: "string", maxLength: 256 }, version: { type: "string", maxLength: 256 } },
};

/** Open Inference Protocol v2 REST, as KServe, Triton and MLServer serve it; registered under /v2. */
export const v2Routes: FastifyPluginAsync = async (app) => {
    const plane = app.serving;
    const { metadata, maxBatch } = plane;
    const isReady = () => plane.readiness() === "ready";
    const tags = ["Open Inference Protocol v2"];

    /** 404 unless the URL names this server's model (and, if given, its version). */
    const requireModel = ({ name, version }: ModelParams): void => {
        if (name !== metadata.name) throw new HttpError(404, `model '${name}' not found; this server serves '${metadata.name}'`);
        if (version !== undefined && version !== metadata.version) {
            throw new HttpError(404, `version '${version}' of model '${name}' not found; this server serves version '${metadata.version}'`);
        }
    };

    app.get("/", { schema: { tags, summary: "Server metadata", response: { 200: { type: "object", properties: { name: { type: "string" }, version: { type: "string" }, extensions: { type: "array", items: { type: "string" } } } } } } }, async () => ({
        name: "model-serving",
        version: SERVER_VERSION,
        extensions: [BINARY_TENSOR_EXTENSION],
    }));
    app.get("/health/live", { schema: { tags, summary: "Server liveness", response: { 200: { type: "object", properties: { live: { type: "boolean" } } } } } }, async () => ({ live: true }));
    const readyResponse = { type: "object", properties: { ready: { type: "boolean" } } };
    app.get("/health/ready", { schema: { tags, summary: "Server readiness (503 while loading or draining)", response: { 200: readyResponse, 503: readyResponse } } }, async (_request, reply) => {
        const ready = isReady();
        return reply.code(ready ? 200 : 503).send({ ready });
    });

    for (const prefix of ["/models/:name", "/models/:name/versions/:version"]) {
        app.get<{ Params: ModelParams }>(prefix, {
            schema: {
                tags,
                summary: "Model metadata",
                params,
                response: {
                    200: {
                        type: "object",
                        properties: {
                            name: { type: "string" },
                            versions: { type: "array", items: { type: "string" } },
                            platform: { type: "string" },
                            inputs: { type: "array", items: tensorMetadata },
                            outputs: { type: "array", items: tensorMetadata },
                        },
                    },
                    ...errors,
                },
            },
        }, async (request) => {
            requireModel(request.params);
            return {
                name: metadata.name,
                versions: [metadata.version],
                // The OIP spec's name for ONNX models (Triton calls the same thing onnxruntime_onnx).
                platform: "onnx_onnxv1",
                inputs: metadata.inputs,
                outputs: metadata.outputs,
            };
        });

        app.get<{ Params: ModelParams }>(`${prefix}/ready`, {
            schema: { tags, summary: "Model readiness", params, response: { 200: { type: "object", properties: { name: { type: "string" }, ready: { type: "boolean" } } }, 503: { type: "object", properties: { name: { type: "string" }, ready: { type: "boolean" } } }, ...errors } },
        }, async (request, reply) => {
            requireModel(request.params);
            const ready = isReady();
            return reply.code(ready ? 200 : 503).send({ name: metadata.name, ready });
        });

        app.post<{ Params: ModelParams; Body: InferRequest }>(`${prefix}/infer`, {
            schema: {
                tags,
                summary: `Inference on a [N, ${metadata.features.length}] FP32 tensor named '${metadata.inputs[0].name}'`,
                params,
                body: inferRequestSchema,
                response: {
                    200: {
                        type: "object",
                        properties: {
                            model_name: { type: "string" },
                            model_version: { type: "string" },
                            id: { type: "string" },
                            outputs: {
                                type: "array",
                                items: { ...tensorMetadata, properties: { ...tensorMetadata.properties, data: { type: "array", items: { type: "number" } } } },
                            },
                        },
                    },
                    ...errors,
                },
            },
        }, async (request, reply) => {
            requireModel(request.params);
            withBinaryValues(request.body);
            let rows: number[][];
            let outputNames: string[];
            try {
                rows = rowsFromInferRequest(metadata, request.body, maxBatch);
                outputNames = requestedOutputNames(request.body);
            } catch (error) {
                if (error instanceof InferRequestError) throw new HttpError(400, error.message);
                throw error;
            }
            const predictions = await plane.predict(rows);
            const response = {
                model_name: metadata.name,
                model_version: metadata.version,
                ...(request.body.id === undefined ? {} : { id: request.body.id }),
                outputs: outputTensors(outputNames, predictions),
            };
            const binary = binaryOutputNames(request.body, outputNames);
            if (binary.size === 0) return response;
            const { body, headerLength } = encodeBinaryInferResponse(response, binary);
            return reply.type("application/octet-stream").header(INFERENCE_HEADER, headerLength).send(body);
        });
    }
};
