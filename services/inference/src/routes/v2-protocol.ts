import type { Prediction } from "../inference/runner";
import { rowProblem } from "../model/features";
import { INPUT_NAME, type ModelMetadata, OUTPUT_NAMES } from "../model/metadata";

/** Open Inference Protocol v2 REST bodies (https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/). */
export type NestedNumbers = Array<number | number[]>;

export interface RequestInput {
    name: string;
    datatype: string;
    shape: number[];
    data: NestedNumbers;
    parameters?: Record<string, unknown>;
}

export interface InferRequest {
    id?: string;
    parameters?: Record<string, unknown>;
    inputs: RequestInput[];
    outputs?: Array<{ name: string; parameters?: Record<string, unknown> }>;
}

export interface ResponseOutput {
    name: string;
    datatype: "FP32";
    shape: number[];
    data: number[];
}

export class InferRequestError extends Error {}

/**
 * JSON schema of an infer request. `data` may be flat or nested one level (row-major [N, F]); deeper
 * nesting is refused by the schema itself, so validation never recurses on hostile input. Other fields are
 * accepted and ignored, as the OIP schema allows (KServe's client always sends `model_name`; Triton's, `parameters`).
 */
export const inferRequestSchema = {
    type: "object",
    required: ["inputs"],
    properties: {
        id: { type: "string", maxLength: 256 },
        parameters: { type: "object" },
        inputs: {
            type: "array",
            minItems: 1,
            items: {
                type: "object",
                required: ["name", "shape", "datatype", "data"],
                properties: {
                    name: { type: "string" },
                    datatype: { type: "string", enum: ["FP32"] },
                    shape: { type: "array", minItems: 1, maxItems: 8, items: { type: "integer", minimum: 0 } },
                    parameters: { type: "object" },
                    data: { type: "array", items: { anyOf: [{ type: "number" }, { type: "array", items: { type: "number" } }] } },
                },
            },
        },
        outputs: {
            type: "array",
            items: {
                type: "object",
                required: ["name"],
                properties: { name: { type: "string" }, parameters: { type: "object" } },
            },
        },
    },
} as const;

/** Flattens `data` in row-major order after checking it against `shape`, naming the input in any complaint. */
export function flattenTensorData(label: string, shape: readonly number[], data: NestedNumbers): number[] {
    const expected = shape.reduce((product, d) => product * d, 1);
    const shapeText = JSON.stringify(shape);
    let flat: number[];
    if (data.every((item) => typeof item === "number")) {
        flat = data as number[];
    } else if (shape.length === 2 && data.length === shape[0] && data.every((row) => Array.isArray(row) && row.length === shape[1])) {
        flat = (data as number[][]).flat();
    } else {
        throw new InferRequestError(`${label}.data must be flat or nested as rows of shape ${shapeText}`);
    }
    if (flat.length !== expected) {
        throw new InferRequestError(`${label}.data holds ${flat.length} values but shape ${shapeText} needs ${expected}`);
    }
    return flat;
}

/** Turns a validated infer request into feature rows, enforcing the model's tensor and range rules. */
export function rowsFromInferRequest(metadata: ModelMetadata, body: InferRequest, maxBatch: number): number[][] {
    const columns = metadata.features.length;
    const index = body.inputs.findIndex((input) => input.name === INPUT_NAME);
    const unknown = body.inputs.find((input) => input.name !== INPUT_NAME);
    if (unknown !== undefined) throw new InferRequestError(`inputs: unknown input '${unknown.name}'; the model's only input is '${INPUT_NAME}'`);
    if (body.inputs.length > 1) throw new InferRequestError(`inputs: '${INPUT_NAME}' is given ${body.inputs.length} times`);
    const input = body.inputs[index];
    const label = `inputs[${index}]`;
    const [batch, width] = input.shape;
    if (input.shape.length !== 2 || width !== columns) {
        throw new InferRequestError(`${label}.shape must be [N, ${columns}] (columns: ${metadata.features.map((f) => f.name).join(", ")}), got ${JSON.stringify(input.shape)}`);
    }
    if (batch < 1 || batch > maxBatch) throw new InferRequestError(`${label}.shape[0] must be from 1 to ${maxBatch} rows, got ${batch}`);
    const flat = flattenTensorData(label, input.shape, input.data);
    const rows = Array.from({ length: batch }, (_, r) => flat.slice(r * columns, (r + 1) * columns));
    rows.forEach((row, r) => {
        const problem = rowProblem(metadata, row);
        if (problem !== undefined) throw new InferRequestError(`${label}.data row ${r}: ${problem}`);
    });
    return rows;
}

/** The output names the client asked for, all of the model's outputs if it named none. */
export function requestedOutputNames(body: InferRequest): string[] {
    const available: readonly string[] = OUTPUT_NAMES;
    if (body.outputs === undefined || body.outputs.length === 0) return [...available];
    for (const { name } of body.outputs) {
        if (!available.includes(name)) throw new InferRequestError(`outputs: unknown output '${name}'; the model has ${available.join(", ")}`);
    }
    return body.outputs.map((o) => o.name);
}

export function outputTensors(names: readonly string[], predictions: readonly Prediction[]): ResponseOutput[] {
    return names.map((name) => ({
        name,
        datatype: "FP32",
        shape: [predictions.length, 1],
        data: predictions.map((p) => p[name as keyof Prediction]),
    }));
}
