import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_MODEL_DIR } from "../../services/inference/src/config";
import { EXAMPLE_PROPERTY, metricValue } from "./helpers";
import { ServerProcess } from "../../tools/load/server-process";

/** The README's promises, checked against the bundled model with the server's defaults (no MODEL_DIR). */
describe("the bundled property-valuation model, served with default settings", function () {
    this.timeout(60000);
    let server: ServerProcess;
    before(async () => {
        server = await ServerProcess.start({ MODEL_DIR: "" });
    });
    after(async () => server?.stop());

    const post = (url: string, body: unknown) => fetch(`${server.url}${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    it("loads the model committed under services/inference/models by default", () => {
        assert.ok(fs.existsSync(path.join(DEFAULT_MODEL_DIR, "model.onnx")));
        const loaded = server.logs.find((l) => l.msg === "model loaded and warmed; ready");
        assert.equal(loaded?.modelDir, DEFAULT_MODEL_DIR);
    });

    it("returns an estimate inside its interval for the README's example property", async () => {
        const res = await post("/predict", EXAMPLE_PROPERTY);
        assert.equal(res.status, 200);
        const body = (await res.json()) as { estimated_value: number; confidence_interval: [number, number] };
        const [low, high] = body.confidence_interval;
        assert.ok(low > 0 && low <= body.estimated_value && body.estimated_value <= high, JSON.stringify(body));
    });

    it("answers an invalid body with FastAPI's 422 naming the field", async () => {
        const res = await post("/predict", { ...EXAMPLE_PROPERTY, square_feet: "big" });
        assert.equal(res.status, 422);
        assert.match(((await res.json()) as { error: string }).error, /square_feet/);
    });

    it("returns the same numbers from a v2 infer as from /predict for the same features", async () => {
        const predicted = (await (await post("/predict", EXAMPLE_PROPERTY)).json()) as { estimated_value: number; confidence_interval: number[] };
        const data = Object.values(EXAMPLE_PROPERTY);
        const res = await post("/v2/models/property-valuation/infer", { inputs: [{ name: "features", datatype: "FP32", shape: [1, data.length], data }] });
        assert.equal(res.status, 200);
        const { outputs } = (await res.json()) as { outputs: Array<{ name: string; data: number[] }> };
        const value = (name: string) => outputs.find((o) => o.name === name)?.data[0];
        assert.deepEqual([value("estimate"), value("lower"), value("upper")], [predicted.estimated_value, ...predicted.confidence_interval]);
    });

    it("shows the three named metrics on /metrics", async () => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        assert.ok(metricValue(text, "model_predictions_total") >= 1);
        assert.ok(metricValue(text, "model_prediction_duration_seconds_count") >= 1);
        assert.equal(metricValue(text, "inference_queue_length"), 0);
    });
});
