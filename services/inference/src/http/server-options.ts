import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { FastifyServerOptions } from "fastify";
import { precompiledCompilers } from "../compiled-schemas";
import type { ServiceConfig } from "../config";
import { REQUEST_ID_HEADER } from "../contract";
import type { DataPlane } from "../data-plane/data-plane";
import { formatValidationErrors } from "./errors";
import { FailuresOnlyRequestLog } from "./request-log";

// Base64 characters included: API Gateway HTTP API request ids end in "=" (e.g. "LV7fzho-PHcEJPw=").
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** Honour a caller's x-request-id when it is sane, so one id follows a request across services. */
function requestId(request: http.IncomingMessage): string {
    const header = request.headers[REQUEST_ID_HEADER];
    return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}

export interface HttpServerChoices {
    logger: FastifyServerOptions["logger"];
    /** Extra fields on every request's log lines (the Lambda entry adds `cold`). */
    logBindings?: () => Record<string, unknown>;
}

/** fastify's options: Node's HTTP timeouts, admission at the socket, strict ajv, request ids, logging. */
export function fastifyOptions(config: ServiceConfig, plane: DataPlane, choices: HttpServerChoices): FastifyServerOptions & { serverFactory: NonNullable<FastifyServerOptions["serverFactory"]> } {
    const httpOptions: http.ServerOptions = {
        // Slow clients: the whole request (headers and body) must arrive within this, or 408. Node only
        // enforces it when given at construction, in a sweep every connectionsCheckingInterval.
        requestTimeout: config.requestTimeoutSeconds * 1000,
        headersTimeout: Math.min(config.requestTimeoutSeconds * 1000, 60000),
        connectionsCheckingInterval: 1000,
        // Larger header blocks get 431 before any handler runs (Node's default, stated).
        maxHeaderSize: 16 * 1024,
    };
    const { logBindings } = choices;
    return {
        logger: choices.logger,
        ...(config.logRequests ? {} : { logController: new FailuresOnlyRequestLog() }),
        bodyLimit: config.bodyLimitBytes,
        genReqId: requestId,
        requestIdHeader: false,
        return503OnClosing: true,
        forceCloseConnections: "idle",
        requestTimeout: config.requestTimeoutSeconds * 1000,
        serverFactory: (handler) =>
            http.createServer(httpOptions, (request, response) => {
                if (plane.admitAtSocket(request, response)) handler(request, response);
            }),
        ajv: {
            // Strict JSON: no type coercion, unknown fields are errors rather than silently dropped, no NaN/Infinity.
            // validateSchema off: the route schemas are constant or generated from validated metadata, and checking
            // them against the meta-schema cost ~40 ms of every cold start; strict mode still rejects unknown keywords.
            customOptions: { coerceTypes: false, removeAdditional: false, strictNumbers: true, allErrors: false, validateSchema: false },
        },
        // Validators and serializers compiled at build time from these same schemas (cold start).
        schemaController: { compilersFactory: precompiledCompilers },
        schemaErrorFormatter: formatValidationErrors,
        ...(logBindings ? { childLoggerFactory: (logger, bindings, opts) => logger.child({ ...bindings, ...logBindings() }, opts) } : {}),
    };
}
