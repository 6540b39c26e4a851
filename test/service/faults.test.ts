import { strict as assert } from "node:assert";
import * as net from "node:net";
import type { FastifyInstance } from "fastify";
import { linearModelBytes, writeLinearModelDir } from "./fixtures/linear-model";
import { buildTestApp, EXAMPLE_PROPERTY, EXAMPLE_ROW, metricValue } from "./helpers";

/** Writes raw bytes to the server and resolves with everything it answers until it closes the socket. */
function rawExchange(port: number, write: (socket: net.Socket) => void): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => write(socket));
        let answer = "";
        socket.on("data", (chunk) => (answer += chunk));
        socket.on("close", () => resolve(answer));
        socket.on("error", reject);
    });
}

describe("faults: a runtime model error, slow clients, oversized headers", function () {
    this.timeout(30000);

    describe("onnxruntime failing at run time", () => {
        let app: FastifyInstance;
        before(async () => {
            app = await buildTestApp({ modelDir: writeLinearModelDir({ modelBytes: linearModelBytes({ failOnBatches: true }) }), cacheMaxEntries: 0 });
        });
        after(async () => app.close());

        it("answers 500 with a safe message, counts the error and keeps serving", async () => {
            const failing = await app.inject({ method: "POST", url: "/predict", payload: { instances: [EXAMPLE_PROPERTY, EXAMPLE_PROPERTY] } });
            assert.equal(failing.statusCode, 500);
            assert.deepEqual(failing.json(), { error: "the model failed to evaluate this input; the failure was logged" });
            assert.doesNotMatch(failing.body, /Reshape|onnx|stack/i);

            const v2 = await app.inject({ method: "POST", url: "/v2/models/property-valuation/infer", payload: { inputs: [{ name: "features", datatype: "FP32", shape: [2, 5], data: [...EXAMPLE_ROW, ...EXAMPLE_ROW] }] } });
            assert.equal(v2.statusCode, 500);
            assert.match(v2.json().error, /failed to evaluate/);

            const metrics = (await app.inject("/metrics")).body;
            assert.equal(metricValue(metrics, "model_inference_errors_total"), 2);
            assert.equal(metricValue(metrics, "inference_queue_length"), 0);
            const single = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY });
            assert.equal(single.statusCode, 200);
            assert.equal((await app.inject("/ready")).statusCode, 200);
        });
    });

    describe("slow and oversized requests on a listening server", () => {
        let app: FastifyInstance;
        let port: number;
        before(async () => {
            app = await buildTestApp({ requestTimeoutSeconds: 1 });
            await app.listen({ port: 0, host: "127.0.0.1" });
            port = (app.server.address() as net.AddressInfo).port;
        });
        after(async () => app.close());

        it("answers 408 and closes the connection when a client sends its body too slowly", async () => {
            const started = Date.now();
            const answer = await rawExchange(port, (socket) => {
                // Headers promise a body that never fully arrives.
                socket.write("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"square_feet\":");
            });
            assert.match(answer, /^HTTP\/1\.1 408/);
            assert.ok(Date.now() - started < 10000, "bounded by the request timeout, not the client");
        });

        it("answers 431 to a header block over 16 KiB before any handler runs", async () => {
            const answer = await rawExchange(port, (socket) => {
                socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${"a".repeat(20 * 1024)}\r\n\r\n`);
            });
            assert.match(answer, /^HTTP\/1\.1 431/);
        });

        it("still answers normally after those clients", async () => {
            const res = await fetch(`http://127.0.0.1:${port}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(EXAMPLE_PROPERTY) });
            assert.equal(res.status, 200);
        });
    });
});
