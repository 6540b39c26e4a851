import { strict as assert } from "node:assert";
import { Writable } from "node:stream";
import { buildApp } from "../../services/inference/src/app";
import { DEFAULT_CONFIG, parseConfig } from "../../services/inference/src/config";
import { loggerChoice, wantsPrettyLogs } from "../../services/inference/src/logging";
import { linearModelBytes, writeLinearModelDir } from "./fixtures/linear-model";
import { EXAMPLE_PROPERTY } from "./helpers";

function collect(): { stream: Writable; text: () => string } {
    let text = "";
    const stream = new Writable({
        write(chunk, _encoding, done) {
            text += String(chunk);
            done();
        },
    });
    return { stream, text: () => text };
}

describe("service logs for people and machines", () => {
    it("stay JSON lines unless asked for pretty or on an interactive terminal with LOG_FORMAT auto", () => {
        assert.equal(wantsPrettyLogs("auto", false), false);
        assert.equal(wantsPrettyLogs("json", true), false);
        assert.equal(wantsPrettyLogs("auto", true), true);
        assert.equal(wantsPrettyLogs("pretty", false), true);
        assert.deepEqual(loggerChoice("info", "auto", false), { level: "info" });
        assert.throws(() => parseConfig({ LOG_FORMAT: "fancy" }), /LOG_FORMAT="fancy" must be one of auto, json, pretty/);
    });

    it("print a readable line, not JSON, when pretty", async () => {
        const out = collect();
        const choice = loggerChoice("info", "pretty", false, out.stream);
        assert.ok(choice.stream);
        choice.stream.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: "model loaded and warmed; ready", model: "property-valuation" })}\n`);
        await new Promise((resolve) => setImmediate(resolve));
        const line = out.text();
        assert.match(line, /INFO.*model loaded and warmed; ready/);
        assert.match(line, /model: "property-valuation"/);
        assert.throws(() => JSON.parse(line));
    });

    it("with LOG_REQUESTS=false drop the per-request lines of successful calls but keep failures", async () => {
        const logs = collect();
        const config = { ...DEFAULT_CONFIG, ...{ logRequests: parseConfig({ LOG_REQUESTS: "false" }).logRequests }, maxEventLoopDelayMs: 0, cacheMaxEntries: 0 };
        const modelDir = writeLinearModelDir({ modelBytes: linearModelBytes({ failOnBatches: true }) });
        const app = await buildApp({ config: { ...config, modelDir }, logger: { level: "info", stream: logs.stream } });
        await app.serving.loaded;
        const ok = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY, headers: { "x-request-id": "quiet-ok" } });
        const failed = await app.inject({ method: "POST", url: "/predict", payload: { instances: [EXAMPLE_PROPERTY, EXAMPLE_PROPERTY] }, headers: { "x-request-id": "loud-fail" } });
        await app.close();
        assert.deepEqual([ok.statusCode, failed.statusCode], [200, 500]);
        const lines = logs.text().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { reqId?: string; msg: string; level: number });
        assert.deepEqual(lines.filter((l) => l.reqId === "quiet-ok"), []);
        const failure = lines.filter((l) => l.reqId === "loud-fail").map((l) => l.msg);
        assert.ok(failure.includes("request failed"), failure.join(" | "));
        assert.ok(failure.includes("request completed"), failure.join(" | "));
        assert.ok(!failure.includes("incoming request"));
    });
});
