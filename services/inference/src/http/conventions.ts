import type { FastifyInstance } from "fastify";
import { REQUEST_ID_HEADER } from "../contract";
import { registerBodyParsers } from "./body-parsers";
import { ERROR_CONTENT_TYPE, handleError } from "./errors";

/** What every route shares: the body types accepted, the error shape, 404s and the echoed request id. */
export function applyHttpConventions(app: FastifyInstance): void {
    registerBodyParsers(app);
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) => {
        void reply.code(404).send({ error: `no route ${request.method} ${request.url.slice(0, 200)}; see /docs` });
    });
    app.addHook("onSend", async (request, reply) => {
        void reply.header(REQUEST_ID_HEADER, request.id);
        // fastify appends "; charset=utf-8" when it serializes; clients that compare the error's type exactly need it bare.
        if (reply.statusCode >= 400 && String(reply.getHeader("content-type")).startsWith(ERROR_CONTENT_TYPE)) void reply.header("content-type", ERROR_CONTENT_TYPE);
    });
}
