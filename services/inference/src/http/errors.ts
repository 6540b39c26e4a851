import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { FastifySchemaValidationError } from "fastify/types/schema";
import { InferenceError } from "../inference/runner";
import { LOCATION_FEATURE, ZIPCODE_FIELD } from "../model/features";

/** An error whose message is safe and useful to show the client. */
export class HttpError extends Error {
    constructor(
        readonly statusCode: number,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = "HttpError";
    }
}

/**
 * Exactly this, without a charset: KServe's REST client reads the error message only when the response's
 * Content-Type equals "application/json" (JSON is UTF-8 by definition, RFC 8259).
 */
export const ERROR_CONTENT_TYPE = "application/json";

/** The body of every error response, as the Open Inference Protocol specifies. */
export const errorResponseSchema = {
    type: "object",
    required: ["error"],
    properties: { error: { type: "string", description: "What was wrong, naming the field and the rule" } },
} as const;

const MAX_LISTED_VALUES = 12;

/** One failed rule as a sentence naming the field; undefined for rules whose message would only be noise. */
export function describeValidationError(error: FastifySchemaValidationError, dataVar: string): string | undefined {
    const where = `${dataVar}${error.instancePath}`;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "if":
            // Says only "must match then/else schema"; the branch's own error follows and is the useful one.
            return undefined;
        case "additionalProperties":
            return `${where} must NOT have property '${String(params.additionalProperty)}' (allowed: see /docs)`;
        case "not":
            // The only `not` in the schemas keeps location_score and zipcode mutually exclusive.
            return `${where} must have either ${LOCATION_FEATURE} or ${ZIPCODE_FIELD}, not both`;
        case "required":
            if (params.missingProperty === LOCATION_FEATURE) return `${where} must have property '${LOCATION_FEATURE}' or '${ZIPCODE_FIELD}'`;
            return `${where} ${error.message ?? "is invalid"}`;
        case "enum": {
            const allowed = (params.allowedValues as unknown[]) ?? [];
            const listed = allowed.slice(0, MAX_LISTED_VALUES).map(String).join(", ");
            return `${where} must be one of the allowed values (${listed}${allowed.length > MAX_LISTED_VALUES ? ", …" : ""})`;
        }
        default:
            return `${where} ${error.message ?? "is invalid"}`;
    }
}

/** Fastify's schemaErrorFormatter: one sentence per failed rule, each naming the field. */
export function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
    const messages = [...new Set(errors.map((e) => describeValidationError(e, dataVar)).filter((m): m is string => m !== undefined))];
    return new Error(messages.length > 0 ? messages.join("; ") : `${dataVar} is invalid`);
}

/** Fastify's own client-error messages, made to name the offending header where they do not. */
function clientMessage(error: FastifyError | Error, request: FastifyRequest): string {
    if ("code" in error && error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
        const type = String(request.headers["content-type"] ?? "").slice(0, 100);
        return `content-type '${type}' is not supported; send application/json`;
    }
    return error.message;
}

/** The status of an error fastify or a route raised: its own when it has one, else 500. */
function statusOf(error: FastifyError | HttpError | Error): number {
    return "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500;
}

/**
 * Every error leaves as {"error": "..."}. Client errors keep fastify's status and message (they name
 * the problem); anything else is logged with its stack and answered with a message that leaks nothing.
 */
export function handleError(error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply): void {
    if ("validation" in error && error.validation) {
        void reply.code(400).send({ error: error.message });
        return;
    }
    const statusCode = statusOf(error);
    if (error instanceof HttpError) void reply.headers(error.headers);
    if (statusCode >= 400 && statusCode < 500) {
        void reply.code(statusCode).send({ error: clientMessage(error, request) });
        return;
    }
    if (error instanceof HttpError) {
        request.log.warn({ statusCode, reason: error.message }, "request refused");
        void reply.code(statusCode).send({ error: error.message });
        return;
    }
    request.log.error({ err: error }, "request failed");
    const message = error instanceof InferenceError ? "the model failed to evaluate this input; the failure was logged" : "internal server error";
    void reply.code(500).send({ error: message });
}
