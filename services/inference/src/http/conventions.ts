import type { FastifyInstance } from "fastify";
import { REQUEST_ID_HEADER } from "../contract";
import { handleError } from "./errors";

/** What every route shares: the body types accepted, the error shape, 404s and the echoed request id. */
export function applyHttpConventions(app: FastifyInstance): void {
    // JSON is the only body type any route takes; anything else is a 415, not a schema error on a string.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("application/json", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) => {
        void reply.code(404).send({ error: `no route ${request.method} ${request.url.slice(0, 200)}; see /docs` });
    });
    app.addHook("onSend", async (request, reply) => {
        void reply.header(REQUEST_ID_HEADER, request.id);
    });
}
