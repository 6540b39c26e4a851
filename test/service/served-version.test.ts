import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Writable } from "node:stream";
import { buildApp } from "../../services/inference/src/app";
import { ConfigError, DEFAULT_CONFIG, DEFAULT_MODEL_DIR, parseConfig } from "../../services/inference/src/config";
import { EXAMPLE_PROPERTY } from "./helpers";
import { linearModelMetadata, writeLinearModelDir } from "./fixtures/linear-model";

/** A canary serves another model version beside the stable one: every answer, metric and log line must say which. */
describe("service: the model version it serves, on every answer, metric and log line", () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = new Writable({
        write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
            done();
        },
    });

    it("labels responses, request metrics and log lines with the version of the model it loaded", async () => {
        const modelDir = writeLinearModelDir({ metadata: { ...linearModelMetadata(), version: "2" } });
        const app = await buildApp({ config: { ...DEFAULT_CONFIG, modelDir, maxEventLoopDelayMs: 0 }, logger: { level: "info", stream: capture } });
        try {
            await app.serving.loaded;
            const answered = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY });
            assert.equal(answered.statusCode, 200);
            assert.equal(answered.json<{ model_version: string }>().model_version, "2");
            const refused = await app.inject({ method: "POST", url: "/predict", payload: { ...EXAMPLE_PROPERTY, bedrooms: -1 } });
            assert.ok(refused.statusCode >= 400 && refused.statusCode < 500, String(refused.statusCode));
            await app.inject({ method: "GET", url: "/health" });

            const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
            const sample = (status: string) => metrics.split("\n").find((l) => l.startsWith("inference_requests_total{") && l.includes(`status_code="${status}"`));
            assert.match(sample("200") ?? "", /model_version="2"/);
            assert.match(sample("200") ?? "", / 1$/);
            assert.match(sample(String(refused.statusCode)) ?? "", / 1$/);
            assert.equal(metrics.split("\n").filter((l) => l.startsWith("inference_requests_total{")).length, 2, "GET /health is not a model call");
            assert.match(metrics, /inference_request_duration_seconds_count\{[^}]*status_code="200"[^}]*\} 1/);

            const completed = lines.filter((l) => l.msg === "request completed");
            assert.ok(completed.length >= 3);
            for (const line of lines) assert.equal(line.model_version, "2", JSON.stringify(line));
            assert.ok(lines.every((l) => l.model === linearModelMetadata().name && typeof l.pid === "number"));
        } finally {
            await app.close();
        }
    });

    it("serves a bundled version by MODEL_VERSION when MODEL_DIR is unset, and refuses a path", () => {
        assert.equal(parseConfig({}).modelDir, DEFAULT_MODEL_DIR);
        assert.equal(parseConfig({ MODEL_VERSION: "2" }).modelDir, path.join(path.dirname(DEFAULT_MODEL_DIR), "2"));
        assert.equal(parseConfig({ MODEL_VERSION: "2", MODEL_DIR: "/models/x/3" }).modelDir, "/models/x/3", "MODEL_DIR wins");
        assert.throws(() => parseConfig({ MODEL_VERSION: "../1" }), (error: unknown) => error instanceof ConfigError && /MODEL_VERSION="\.\.\/1" must be one directory name/.test(error.message));
    });
});
