import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { createLambdaHandler, type HttpEvent } from "../../services/inference/src/lambda-handler";
import { linearEstimate, writeLinearModelDir } from "./fixtures/linear-model";
import { EXAMPLE_ROW, lambdaContext } from "./helpers";

function event(name: string): HttpEvent {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "events", name), "utf8"));
}


/** Collects the JSON log lines the handler writes. */
function logCollector(): { stream: Writable; lines: Array<Record<string, unknown>> } {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
        write(chunk, _encoding, done) {
            for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
            done();
        },
    });
    return { stream, lines };
}

describe("Lambda handler (@fastify/aws-lambda over the same app)", () => {
    const expected = linearEstimate(EXAMPLE_ROW);

    it("answers an API Gateway HTTP API v2 event cold, then a Function URL event warm, reusing the loaded model", async () => {
        const logs = logCollector();
        const handler = await createLambdaHandler({ env: { MODEL_DIR: writeLinearModelDir(), LOG_LEVEL: "info" }, logStream: logs.stream });

        const cold = await handler(event("http-api-v2-predict.json"), lambdaContext("req-cold"));
        assert.equal(cold.statusCode, 200, cold.body);
        assert.match(cold.headers?.["content-type"] ?? "", /application\/json/);
        assert.equal(JSON.parse(cold.body).estimated_value, Math.fround(expected.estimate));

        const warm = await handler(event("function-url-infer.json"), lambdaContext("req-warm"));
        assert.equal(warm.statusCode, 200, warm.body);
        const outputs = JSON.parse(warm.body).outputs;
        assert.deepEqual(outputs.map((o: { data: number[] }) => o.data[0]), [expected.estimate, expected.lower, expected.upper].map(Math.fround));

        const requestLines = logs.lines.filter((l) => l.reqId !== undefined);
        const byInvocation = (id: string) => requestLines.filter((l) => l.awsRequestId === id);
        assert.ok(byInvocation("req-cold").length >= 2, "each invocation logs its request and response");
        assert.ok(byInvocation("req-cold").every((l) => l.cold === true));
        assert.ok(byInvocation("req-warm").length >= 2);
        assert.ok(byInvocation("req-warm").every((l) => l.cold === false));
    });

    it("answers a bad body in an event with a 422 naming the field, not an invocation error", async () => {
        const handler = await createLambdaHandler({ env: { MODEL_DIR: writeLinearModelDir(), LOG_LEVEL: "silent" } });
        const original = event("http-api-v2-predict.json");
        const body = JSON.stringify({ square_feet: "big", bedrooms: 3, bathrooms: 2, location_score: 7, market_trend: 0.1 });
        const bad = { ...original, body, headers: { ...(original.headers as object), "content-length": String(body.length) } };
        const res = await handler(bad, lambdaContext("req-bad"));
        assert.equal(res.statusCode, 422);
        assert.match(JSON.parse(res.body).error, /body\/square_feet must be number/);
    });

    it("fails the init phase when the model directory holds no model", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-model-"));
        await assert.rejects(createLambdaHandler({ env: { MODEL_DIR: empty, LOG_LEVEL: "silent" } }), /cannot read .*metadata\.json/);
    });
});
