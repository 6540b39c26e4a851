// /predict speaks like the guide's FastAPI app, so clients written for it need no change: validation failures
// are 422 with pydantic's `detail` list (next to this service's readable `error`), numeric strings are numbers
// (pydantic's lax mode), and unknown fields are ignored (pydantic's default) but named in a response header.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { FastifySchemaValidationError } from "fastify/types/schema";
import { describeValidationError, errorResponseSchema, handleError } from "./errors";

/** Lists the fields a /predict body carried that the model does not take (and that were ignored). */
export const IGNORED_FIELDS_HEADER = "x-ignored-fields";

/** One entry of FastAPI's 422 `detail`. */
export interface ValidationDetail {
    loc: Array<string | number>;
    msg: string;
    type: string;
    input?: unknown;
}

/** The 4xx body of /predict: the readable error, and on 422 FastAPI's detail list. */
export const fastApiErrorSchema = {
    type: "object",
    required: ["error"],
    properties: {
        ...errorResponseSchema.properties,
        detail: {
            type: "array",
            description: "422 only: FastAPI's validation detail (loc, msg, type)",
            items: {
                type: "object",
                required: ["loc", "msg", "type"],
                properties: { loc: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } }, msg: { type: "string" }, type: { type: "string" }, input: {} },
            },
        },
    },
} as const;

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Makes a /predict body what the schema expects, in place: numeric strings of number fields become numbers, and
 * fields the model does not take are removed. Returns the removed names. `fields` maps each known field to its type.
 */
export function relaxPredictBody(body: unknown, fields: ReadonlyMap<string, string>): string[] {
    const ignored = new Set<string>();
    const relax = (instance: unknown): void => {
        if (!isObject(instance)) return;
        // for…in, not Object.entries: a 128-row batch would allocate a pair per field per row on the hot path.
        for (const key in instance) {
            const value = instance[key];
            const type = fields.get(key);
            if (type === undefined) {
                ignored.add(key);
                delete instance[key];
            } else if ((type === "number" || type === "integer") && typeof value === "string" && NUMERIC.test(value)) {
                instance[key] = Number(value);
            }
        }
    };
    if (isObject(body) && Array.isArray(body.instances)) {
        for (const key of Object.keys(body)) {
            if (key === "instances") continue;
            ignored.add(key);
            delete body[key];
        }
        body.instances.forEach(relax);
    } else {
        relax(body);
    }
    return [...ignored];
}

const at = (body: unknown, path: Array<string | number>): unknown =>
    path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), body);

const TYPES: Record<string, [string, string]> = {
    number: ["float_type", "Input should be a valid number"],
    integer: ["int_type", "Input should be a valid integer"],
    string: ["string_type", "Input should be a valid string"],
    array: ["list_type", "Input should be a valid list"],
    object: ["model_attributes_type", "Input should be a valid dictionary or object to extract fields from"],
};

/** One ajv failure as pydantic v2 would report it. */
function detailOf(error: FastifySchemaValidationError, body: unknown): ValidationDetail {
    const path = error.instancePath.split("/").filter(Boolean).map((segment) => (/^[0-9]+$/.test(segment) ? Number(segment) : segment));
    const params = error.params as Record<string, unknown>;
    const input = at(body, path);
    // pydantic echoes the offending input; only scalars here, so a refused 10,000-row batch is not sent back.
    const scalar = input !== undefined && (input === null || typeof input !== "object");
    const entry = (type: string, msg: string, loc = path): ValidationDetail => ({ loc: ["body", ...loc], msg, type, ...(scalar ? { input } : {}) });
    switch (error.keyword) {
        case "required":
            return { loc: ["body", ...path, String(params.missingProperty)], msg: "Field required", type: "missing" };
        case "type": {
            if (params.type === "integer" && typeof input === "number") return entry("int_from_float", "Input should be a valid integer, got a number with a fractional part");
            const [type, msg] = TYPES[String(params.type)] ?? ["type_error", `Input should be ${String(params.type)}`];
            return entry(type, msg);
        }
        case "minimum":
            return entry("greater_than_equal", `Input should be greater than or equal to ${String(params.limit)}`);
        case "maximum":
            return entry("less_than_equal", `Input should be less than or equal to ${String(params.limit)}`);
        case "exclusiveMinimum":
            return entry("greater_than", `Input should be greater than ${String(params.limit)}`);
        case "exclusiveMaximum":
            return entry("less_than", `Input should be less than ${String(params.limit)}`);
        case "minItems":
            return entry("too_short", `List should have at least ${String(params.limit)} item after validation, not ${Array.isArray(input) ? input.length : 0}`);
        case "maxItems":
            return entry("too_long", `List should have at most ${String(params.limit)} items after validation, not ${Array.isArray(input) ? input.length : 0}`);
        case "enum":
            return entry("enum", `Input should be ${((params.allowedValues as unknown[]) ?? []).slice(0, 12).map((v) => `'${String(v)}'`).join(", ")}`);
        case "additionalProperties":
            return { loc: ["body", ...path, String(params.additionalProperty)], msg: "Extra inputs are not permitted", type: "extra_forbidden" };
        default:
            return entry("value_error", describeValidationError(error, "body") ?? error.message ?? "is invalid");
    }
}

/** FastAPI's detail for a failed /predict request, or undefined when the failure is not a validation one. */
export function validationDetail(error: FastifyError, body: unknown): ValidationDetail[] | undefined {
    if (error.validation) {
        // fastify keeps only what ajv reported; `if` merely says a branch failed, the branch's own error follows.
        const failures = error.validation.filter((failure) => failure.keyword !== "if");
        return (failures.length > 0 ? failures : error.validation).map((failure) => detailOf(failure, body));
    }
    if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY") return [{ loc: ["body", 0], msg: "JSON decode error", type: "json_invalid" }];
    if (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return [{ loc: ["body"], msg: "Field required", type: "missing" }];
    return undefined;
}

/** /predict's error handler: 422 + detail for validation failures, the service's usual answer otherwise. */
export function handlePredictError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const detail = validationDetail(error, request.body);
    if (detail === undefined) return handleError(error, request, reply);
    void reply.code(422).send({ error: error.message, detail });
}
