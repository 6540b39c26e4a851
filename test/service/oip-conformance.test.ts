import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import type { FastifyInstance } from "fastify";
import { parse as parseYaml } from "yaml";
import { decodeBinaryInferRequest, decodeBinaryInferResponse, encodeBinaryInferRequest, withBinaryValues } from "../../services/inference/src/routes/v2-binary";
import { linearEstimate } from "./fixtures/linear-model";
import { buildTestApp, EXAMPLE_ROW } from "./helpers";

const FIXTURES = path.join(__dirname, "fixtures");
const CLIENTS = path.join(FIXTURES, "oip-clients");
const MODEL = "/v2/models/property-valuation";
/** The rows every recorded client request carries (derive.py), as the FP32 values the model sees. */
const ROWS = [[2000, 3, 2, 7, 0.1], [3000, 4, 2.5, 8.5, -0.05]].map((row) => row.map(Math.fround));

/** The vendored OIP REST document's schemas, compiled with ajv (OpenAPI 3.0 schema objects are JSON Schema here). */
function oipSchemas(): (name: string) => ValidateFunction {
    const document = parseYaml(fs.readFileSync(path.join(FIXTURES, "oip", "open_inference_rest.yaml"), "utf8")) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "oip", components: document.components });
    return (name) => ajv.compile({ $ref: `oip#/components/schemas/${name}` });
}
const schema = oipSchemas();

function assertValid(name: string, value: unknown): void {
    const validate = schema(name);
    assert.ok(validate(value), `${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value).slice(0, 400)}`);
}

interface RawResponse {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
}

/** Sends recorded bytes over a fresh TCP connection, exactly as recorded, and reads one HTTP response. */
function exchange(port: number, request: Buffer): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
        let received = Buffer.alloc(0);
        socket.on("data", (chunk: Buffer) => {
            received = Buffer.concat([received, chunk]);
            const end = received.indexOf("\r\n\r\n");
            if (end < 0) return;
            const [statusLine, ...lines] = received.subarray(0, end).toString("latin1").split("\r\n");
            const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
            const length = Number(headers["content-length"]);
            if (received.length < end + 4 + length) return;
            socket.destroy();
            resolve({ status: Number(statusLine.split(" ")[1]), headers, body: received.subarray(end + 4, end + 4 + length) });
        });
        socket.on("error", reject);
    });
}

/** The JSON part and, for the binary extension, the raw tensors of a recorded request, decoded as the server must. */
function recordedRequestJson(bytes: Buffer): unknown {
    const split = bytes.indexOf("\r\n\r\n");
    const head = bytes.subarray(0, split).toString("latin1");
    const body = bytes.subarray(split + 4);
    const headerLength = /inference-header-content-length: *([0-9]+)/i.exec(head)?.[1];
    if (headerLength === undefined) return JSON.parse(body.toString("utf8"));
    return withBinaryValues(decodeBinaryInferRequest(JSON.parse(body.subarray(0, Number(headerLength)).toString("utf8")), body.subarray(Number(headerLength))));
}

/** The response body as JSON, binary outputs decoded into `data`. */
function responseJson(response: RawResponse): { outputs: Array<{ name: string; data: number[]; shape: number[]; datatype: string }> } & Record<string, unknown> {
    const headerLength = response.headers["inference-header-content-length"];
    if (headerLength === undefined) return JSON.parse(response.body.toString("utf8"));
    return decodeBinaryInferResponse(response.body, Number(headerLength)) as ReturnType<typeof responseJson>;
}

function assertModelOutputs(outputs: Array<{ name: string; data: number[]; shape: number[] }>, names: string[], rows: number[][]): void {
    assert.deepEqual(outputs.map((o) => o.name), names);
    for (const output of outputs) {
        assert.deepEqual(output.shape, [rows.length, 1]);
        rows.forEach((row, r) => {
            const expected = Math.fround(linearEstimate(row)[output.name as "estimate" | "lower" | "upper"]);
            assert.ok(Math.abs(output.data[r] - expected) <= Math.abs(expected) * 1e-6, `${output.name}[${r}] = ${output.data[r]}, expected ${expected}`);
        });
    }
}

describe("Open Inference Protocol conformance: recorded client requests and the OIP REST schema", () => {
    let app: FastifyInstance;
    let port: number;
    before(async () => {
        app = await buildTestApp({ cacheMaxEntries: 0 });
        await app.listen({ port: 0, host: "127.0.0.1" });
        port = (app.server.address() as net.AddressInfo).port;
    });
    after(async () => app.close());

    const recorded: Array<[string, string[], boolean]> = [
        // file, the outputs it gets back, whether the response carries binary outputs
        ["tritonclient-http-json.http", ["estimate", "lower", "upper"], false],
        ["tritonclient-http-binary.http", ["estimate", "lower", "upper"], true],
        ["tritonclient-http-aio-json.http", ["estimate", "lower", "upper"], true],
        ["tritonclient-http-aio-binary.http", ["estimate", "upper"], true],
        ["kserve-rest-json.http", ["estimate", "lower", "upper"], false],
        ["kserve-rest-binary.http", ["estimate", "lower", "upper"], false],
    ];
    for (const [file, names, binaryResponse] of recorded) {
        it(`answers ${file} (bytes as the client sends them) with 200 and the model's outputs, request and response valid OIP`, async () => {
            const bytes = fs.readFileSync(path.join(CLIENTS, file));
            const requestJson = recordedRequestJson(bytes);
            assertValid("inference_request", requestJson);
            const response = await exchange(port, bytes);
            assert.equal(response.status, 200, response.body.toString("utf8"));
            assert.equal(response.headers["inference-header-content-length"] !== undefined, binaryResponse);
            const json = responseJson(response);
            assertValid("inference_response", json);
            assert.equal(json.model_name, "property-valuation");
            const id = (requestJson as { id?: string }).id;
            if (id !== undefined) assert.equal(json.id, id);
            assertModelOutputs(json.outputs, names, ROWS);
        });
    }

    it("encodes a 128-row binary request the bench can send, and answers it in binary when asked", async () => {
        const rows = Array.from({ length: 128 }, (_, i) => [1000 + i, 3, 2, 5, 0.01 * (i % 50)].map(Math.fround));
        const request = encodeBinaryInferRequest("features", rows, { id: "bench-128", binaryOutputs: true });
        const res = await app.inject({ method: "POST", url: `${MODEL}/infer`, headers: request.headers, payload: request.body });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers["content-type"], "application/octet-stream");
        const json = responseJson({ status: res.statusCode, headers: res.headers as Record<string, string>, body: res.rawPayload });
        assertValid("inference_response", json);
        assertModelOutputs(json.outputs, ["estimate", "lower", "upper"], rows);
    });

    it("accepts and ignores the extra fields the spec allows at every level", async () => {
        const body = {
            id: "extras",
            model_name: "property-valuation",
            parameters: { priority: 1, content_type: "np" },
            inputs: [{ name: "features", shape: [1, 5], datatype: "FP32", data: EXAMPLE_ROW, parameters: { content_type: "np" }, note: "x" }],
            outputs: [{ name: "estimate", parameters: { binary_data: false }, extra: true }],
            trace: "abc",
        };
        assertValid("inference_request", body);
        const res = await app.inject({ method: "POST", url: `${MODEL}/infer`, payload: body });
        assert.equal(res.statusCode, 200, res.body);
        assertValid("inference_response", res.json());
        assertModelOutputs(res.json().outputs, ["estimate"], [EXAMPLE_ROW]);
    });

    it("describes server and model as the schema says, listing the binary extension and the spec's ONNX platform", async () => {
        const server = (await app.inject("/v2")).json();
        assertValid("metadata_server_response", server);
        assert.ok(server.extensions.includes("binary_tensor_data"));
        const model = (await app.inject(MODEL)).json();
        assertValid("metadata_model_response", model);
        assert.equal(model.platform, "onnx_onnxv1");
    });

    const failures: Array<[string, string, Record<string, string>, string | Buffer, number, RegExp]> = [
        ["an unknown model", "/v2/models/other/infer", { "content-type": "application/json" }, JSON.stringify({ inputs: [{ name: "features", shape: [1, 5], datatype: "FP32", data: EXAMPLE_ROW }] }), 404, /model 'other' not found/],
        ["a wrong shape", `${MODEL}/infer`, {}, JSON.stringify({ inputs: [{ name: "features", shape: [1, 4], datatype: "FP32", data: [1, 2, 3, 4] }] }), 400, /shape must be \[N, 5\]/],
        ["a wrong datatype", `${MODEL}/infer`, { "content-type": "application/octet-stream" }, JSON.stringify({ inputs: [{ name: "features", shape: [1, 5], datatype: "INT64", data: EXAMPLE_ROW }] }), 400, /datatype must be one of the allowed values \(FP32\)/],
        ["binary sizes that do not add up", `${MODEL}/infer`, { "content-type": "application/octet-stream", "inference-header-content-length": "120" }, Buffer.concat([Buffer.from(JSON.stringify({ inputs: [{ name: "features", shape: [1, 5], datatype: "FP32", parameters: { binary_data_size: 40 } }] }).padEnd(120)), Buffer.alloc(16)]), 400, /runs past the 16 bytes/],
        ["a binary NaN in a required feature", `${MODEL}/infer`, encodeBinaryInferRequest("features", [[Number.NaN, 3, 2, 7, 0.1]]).headers, encodeBinaryInferRequest("features", [[Number.NaN, 3, 2, 7, 0.1]]).body, 400, /inputs\[0\]\.data row 0: square_feet must be a finite number/],
        ["binary values above a feature's range", `${MODEL}/infer`, encodeBinaryInferRequest("features", [[2000, 3, 2, 70, 0.1]]).headers, encodeBinaryInferRequest("features", [[2000, 3, 2, 70, 0.1]]).body, 400, /row 0: location_score must be <= 10, got 70/],
        ["a binary header that is not JSON", `${MODEL}/infer`, { "inference-header-content-length": "4" }, Buffer.from("{inp\u0000\u0000"), 400, /the first 4 bytes \(inference-header-content-length\) are not a JSON infer request/],
        ["a binary header longer than the body", `${MODEL}/infer`, { "content-type": "application/octet-stream", "inference-header-content-length": "5000" }, "{}", 400, /inference-header-content-length="5000" must be an integer from 1 to the body's 2 bytes/],
        ["a content type that is neither JSON nor bytes", `${MODEL}/infer`, { "content-type": "text/plain" }, "hello", 415, /content-type 'text\/plain' is not supported/],
    ];
    for (const [what, url, headers, payload, status, message] of failures) {
        it(`refuses ${what} with ${status}, an OIP error body and Content-Type exactly application/json`, async () => {
            const res = await app.inject({ method: "POST", url, headers, payload });
            assert.equal(res.statusCode, status, res.body);
            assert.equal(res.headers["content-type"], "application/json");
            assertValid("inference_error_response", res.json());
            assert.match(res.json().error, message);
        });
    }
});
