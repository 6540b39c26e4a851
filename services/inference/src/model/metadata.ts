import { precompiledValidator } from "../compiled-schemas";

/** One input feature: a column of the `features` tensor, in tensor column order. */
export interface FeatureSpec {
    name: string;
    description: string;
    unit: string;
    min: number;
    max: number;
    integer?: boolean;
    /** A request may leave it out: absent from a /predict body, NaN (the FP32 missing value) in a tensor row. */
    optional?: boolean;
}

export interface TensorSpec {
    name: string;
    datatype: string;
    shape: number[];
    description?: string;
}

/** `metadata.json` beside `model.onnx`: the contract between training and serving. */
export interface ModelMetadata {
    name: string;
    version: string;
    description: string;
    inputs: TensorSpec[];
    features: FeatureSpec[];
    outputs: TensorSpec[];
    interval: { level: number; method: string };
    location_scores: Record<string, number>;
    training?: unknown;
    metrics?: unknown;
}

/** The service's routes read these names, so the model must provide exactly them. */
export const INPUT_NAME = "features";
export const OUTPUT_NAMES = ["estimate", "lower", "upper"] as const;

const tensorSpecSchema = {
    type: "object",
    required: ["name", "datatype", "shape"],
    properties: {
        name: { type: "string", minLength: 1 },
        datatype: { type: "string", enum: ["FP32"] },
        shape: { type: "array", items: { type: "integer", minimum: -1 }, minItems: 1 },
        description: { type: "string" },
    },
};

const metadataSchema = {
    type: "object",
    required: ["name", "version", "description", "inputs", "features", "outputs", "interval", "location_scores"],
    properties: {
        // Names appear in v2 URLs, so keep them URL-safe.
        name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" },
        version: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" },
        description: { type: "string" },
        inputs: { type: "array", items: tensorSpecSchema, minItems: 1, maxItems: 1 },
        features: {
            type: "array",
            minItems: 1,
            items: {
                type: "object",
                required: ["name", "description", "unit", "min", "max"],
                properties: {
                    name: { type: "string", pattern: "^[a-z][a-z0-9_]*$" },
                    description: { type: "string" },
                    unit: { type: "string" },
                    min: { type: "number" },
                    max: { type: "number" },
                    integer: { type: "boolean" },
                    optional: { type: "boolean" },
                },
            },
        },
        outputs: { type: "array", items: tensorSpecSchema, minItems: 3 },
        interval: {
            type: "object",
            required: ["level", "method"],
            properties: { level: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }, method: { type: "string" } },
        },
        location_scores: {
            type: "object",
            propertyNames: { pattern: "^[0-9]{5}$" },
            additionalProperties: { type: "number" },
        },
    },
};

// validateSchema off: checking this constant schema against the JSON Schema meta-schema on every start cost
// more CPU than compiling it (cold start); strict mode still rejects unknown keywords at compile.
// Compiled at build time (src/compiled-schemas.ts); Ajv compiles it here only when running from source.
const validateSchema = precompiledValidator<ModelMetadata>(metadataSchema, { allErrors: true, strictNumbers: true, validateSchema: false });

export class MetadataError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MetadataError";
    }
}

/** Checks the parsed `metadata.json` and returns it typed; throws naming every problem found. */
export function parseMetadata(json: unknown): ModelMetadata {
    if (!validateSchema(json)) {
        const problems = (validateSchema.errors ?? []).map((e) => `metadata${e.instancePath} ${e.message}`);
        throw new MetadataError(problems.join("; "));
    }
    const problems: string[] = [];
    const names = new Set<string>();
    for (const feature of json.features) {
        if (names.has(feature.name)) problems.push(`feature "${feature.name}" is listed twice`);
        names.add(feature.name);
        if (!(feature.min < feature.max)) problems.push(`feature "${feature.name}" has min ${feature.min} not below max ${feature.max}`);
    }
    const [input] = json.inputs;
    if (input.name !== INPUT_NAME) problems.push(`inputs[0].name is "${input.name}", expected "${INPUT_NAME}"`);
    if (input.shape.length !== 2 || input.shape[1] !== json.features.length) {
        problems.push(`inputs[0].shape ${JSON.stringify(input.shape)} must be [-1, ${json.features.length}] (one column per feature)`);
    }
    const outputNames = json.outputs.map((o) => o.name);
    for (const name of OUTPUT_NAMES) {
        if (!outputNames.includes(name)) problems.push(`outputs lacks "${name}"`);
    }
    if (problems.length > 0) throw new MetadataError(problems.join("; "));
    return json;
}

/** What an ONNX session reveals about itself; a structural subset of onnxruntime's InferenceSession. */
export interface SessionSignature {
    inputNames: readonly string[];
    outputNames: readonly string[];
    inputMetadata?: readonly ({ name: string; isTensor: false } | { name: string; isTensor: true; type: string; shape: ReadonlyArray<number | string> })[];
}

/** Refuses a model whose graph does not have the inputs and outputs its metadata promises. */
export function checkSessionAgreesWithMetadata(metadata: ModelMetadata, session: SessionSignature): void {
    const problems: string[] = [];
    const declaredInputs = metadata.inputs.map((i) => i.name);
    if (JSON.stringify([...session.inputNames]) !== JSON.stringify(declaredInputs)) {
        problems.push(`model.onnx inputs ${JSON.stringify(session.inputNames)} differ from metadata inputs ${JSON.stringify(declaredInputs)}`);
    }
    const input = session.inputMetadata?.find((i) => i.name === INPUT_NAME);
    if (input !== undefined) {
        const columns = input.isTensor ? input.shape[1] : undefined;
        if (!input.isTensor || input.type !== "float32" || input.shape.length !== 2 || (typeof columns === "number" && columns !== metadata.features.length)) {
            const found = input.isTensor ? `${input.type} ${JSON.stringify(input.shape)}` : "a non-tensor";
            problems.push(`model.onnx input "${INPUT_NAME}" is ${found}, metadata needs float32 [N, ${metadata.features.length}]`);
        }
    }
    const missing = metadata.outputs.map((o) => o.name).filter((name) => !session.outputNames.includes(name));
    if (missing.length > 0) {
        problems.push(`model.onnx outputs ${JSON.stringify(session.outputNames)} lack metadata outputs ${JSON.stringify(missing)}`);
    }
    if (problems.length > 0) throw new MetadataError(problems.join("; "));
}
