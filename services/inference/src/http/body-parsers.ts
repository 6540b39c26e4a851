import type { FastifyInstance, FastifyRequest } from "fastify";
import { binaryHeaderLength, decodeBinaryInferRequest, INFERENCE_HEADER } from "../routes/v2-binary";
import { HttpError } from "./errors";

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Request bodies as the clients people already have send them:
 * - application/json, as always;
 * - no Content-Type at all (tritonclient.http, requests' `data=json.dumps(...)`): read as JSON, as FastAPI does;
 * - application/octet-stream (tritonclient.http.aio, KServe's binary requests): the binary tensor data extension when
 *   Inference-Header-Content-Length is present, otherwise JSON;
 * - anything else: 415 naming the type.
 * A body with Inference-Header-Content-Length is split into JSON header and raw tensors whatever its type.
 */
export function registerBodyParsers(app: FastifyInstance): void {
    const json = app.getDefaultJsonParser("error", "error");
    const parse = (request: FastifyRequest, body: Buffer, done: Done): void => {
        let headerLength: number | undefined;
        try {
            headerLength = binaryHeaderLength(request.headers[INFERENCE_HEADER], body.length);
        } catch (error) {
            done(error as Error);
            return;
        }
        if (headerLength === undefined) {
            json(request, body as unknown as string, done);
            return;
        }
        json(request, body.subarray(0, headerLength) as unknown as string, (error, header) => {
            if (error) return done(new HttpError(400, `the first ${headerLength} bytes (${INFERENCE_HEADER}) are not a JSON infer request`));
            try {
                done(null, decodeBinaryInferRequest(header, body.subarray(headerLength)));
            } catch (decodeError) {
                done(decodeError as Error);
            }
        });
    };
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(["application/json", "application/octet-stream"], { parseAs: "buffer" }, (request, body, done) => parse(request, body as Buffer, done));
    app.addContentTypeParser("*", { parseAs: "buffer" }, (request, body, done) => {
        const type = request.headers["content-type"];
        if (type === undefined || type.trim() === "") return parse(request, body as Buffer, done);
        done(new HttpError(415, `content-type '${type.slice(0, 100)}' is not supported; send application/json (or application/octet-stream with ${INFERENCE_HEADER} for binary tensors)`));
    });
}
