import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { writeLinearModelDir, linearModelBytes } from "./fixtures/linear-model";
import { EXAMPLE_PROPERTY, metricValue } from "./helpers";
import { ServerProcess } from "../../tools/load/server-process";

/** Sends a POST whose body arrives in two parts, the second only when `finish` is called. */
function slowPost(url: string, body: string): { finish: () => void; response: Promise<{ status: number; body: string }> } {
    let finish = (): void => undefined;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(`${url}/predict`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        request.on("error", reject);
        request.write(body.slice(0, 10));
        finish = () => request.end(body.slice(10));
    });
    return { finish, response };
}

describe("inference server process (end to end over HTTP)", function () {
    // Spawning under tsx on a busy 2-core machine takes seconds.
    this.timeout(60000);

    it("serves predictions, validation errors and metrics on the port it was given", async () => {
        const server = await ServerProcess.start({ MODEL_DIR: writeLinearModelDir() });
        try {
            const ok = await fetch(`${server.url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(EXAMPLE_PROPERTY) });
            assert.equal(ok.status, 200);
            const prediction = (await ok.json()) as { estimated_value: number; confidence_interval: [number, number] };
            assert.ok(prediction.confidence_interval[0] <= prediction.estimated_value && prediction.estimated_value <= prediction.confidence_interval[1]);
            assert.ok(ok.headers.get("x-request-id"));

            const bad = await fetch(`${server.url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...EXAMPLE_PROPERTY, bathrooms: -1 }) });
            assert.equal(bad.status, 422);
            assert.match(((await bad.json()) as { error: string }).error, /body\/bathrooms must be >= 0/);

            const metrics = await (await fetch(`${server.url}/metrics`)).text();
            for (const name of ["model_predictions_total", "model_prediction_duration_seconds_count", "inference_queue_length"]) {
                assert.ok(Number.isFinite(metricValue(metrics, name)), name);
            }
            const requestLog = server.logs.find((l) => l.msg === "request completed");
            assert.ok(requestLog?.reqId, "request log lines carry the request id");
        } finally {
            await server.stop();
        }
    });

    it("on SIGTERM turns unready, finishes every in-flight request with 200 and exits 0 within the grace period", async () => {
        const server = await ServerProcess.start({ MODEL_DIR: writeLinearModelDir(), SHUTDOWN_GRACE_SECONDS: "20", CACHE_MAX_ENTRIES: "0" });
        try {
            const inFlight = Array.from({ length: 5 }, (_, i) => slowPost(server.url, JSON.stringify({ ...EXAMPLE_PROPERTY, square_feet: 2000 + i })));
            // Each request's headers have reached the server once it logs it as incoming.
            await server.waitForLog(() => server.logs.filter((l) => l.msg === "incoming request" && (l.req as { url?: string })?.url === "/predict").length >= 5);
            const signalledAt = Date.now();
            server.child.kill("SIGTERM");
            await server.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("draining"));

            const readyAfterSignal = await fetch(`${server.url}/ready`).then((r) => r.status, (e: Error) => e.message);
            assert.notEqual(readyAfterSignal, 200, "readiness must not report ready once draining");

            inFlight.forEach((request) => request.finish());
            const responses = await Promise.all(inFlight.map((r) => r.response));
            assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
            const { code } = await server.exited;
            assert.equal(code, 0);
            assert.ok(Date.now() - signalledAt < 20000);
        } finally {
            await server.stop();
        }
    });

    for (const [how, forceExit] of [["the grace deadline passes", false], ["a second SIGTERM arrives", true]] as const) {
        it(`exits at once with code 1 when ${how} with a request still in flight`, async () => {
            const server = await ServerProcess.start({ MODEL_DIR: writeLinearModelDir(), SHUTDOWN_GRACE_SECONDS: "2" });
            try {
                const stuck = slowPost(server.url, JSON.stringify(EXAMPLE_PROPERTY));
                stuck.response.catch(() => undefined); // the server will cut it off
                await server.waitForLog((l) => l.msg === "incoming request" && (l.req as { url?: string })?.url === "/predict");
                const signalledAt = Date.now();
                server.child.kill("SIGTERM");
                await server.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("draining"));
                if (forceExit) server.child.kill("SIGTERM");
                const { code } = await server.exited;
                const seconds = (Date.now() - signalledAt) / 1000;
                assert.equal(code, 1);
                assert.ok(forceExit ? seconds < 1.5 : seconds >= 1.9 && seconds < 6, `exited after ${seconds} s`);
            } finally {
                await server.stop();
            }
        });
    }

    const brokenModels: Array<[string, () => string, RegExp]> = [
        ["a directory without a model", () => fs.mkdtempSync(path.join(writeLinearModelDir(), "empty-")), /cannot read .*metadata\.json/],
        ["a truncated model.onnx", () => writeLinearModelDir({ modelBytes: linearModelBytes().slice(0, 40) }), /truncated or corrupt/],
        ["a model.onnx of random bytes", () => writeLinearModelDir({ modelBytes: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251) }), /truncated or corrupt/],
        ["metadata without its model.onnx", () => {
            const dir = writeLinearModelDir();
            fs.rmSync(path.join(dir, "model.onnx"));
            return dir;
        }, /model file .*model\.onnx does not exist/],
        ["metadata that disagrees with the ONNX inputs", () => {
            const dir = writeLinearModelDir();
            const metadata = JSON.parse(fs.readFileSync(path.join(dir, "metadata.json"), "utf8"));
            // Valid on its own (four features, [-1, 4]), but the graph takes five columns.
            metadata.features.pop();
            metadata.inputs[0].shape = [-1, 4];
            fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify(metadata));
            return dir;
        }, /input "features" is float32 \["N",5\], metadata needs float32 \[N, 4\]/],
    ];
    for (const [what, makeDir, reason] of brokenModels) {
        it(`exits non-zero with a log line saying why when given ${what}`, async () => {
            const server = ServerProcess.spawn({ MODEL_DIR: makeDir() });
            const { code } = await server.exited;
            assert.equal(code, 1);
            const fatal = server.logs.find((l) => l.level === 60);
            assert.ok(fatal, `expected a fatal log line, got ${JSON.stringify(server.logs)}`);
            assert.match(String(fatal.msg), reason);
        });
    }
});
