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

/** Version 2 beside version 1: the full property record as optional inputs, picked by MODEL_VERSION like a stack would. */
describe("the bundled property-valuation model version 2 (MODEL_VERSION=2)", function () {
    this.timeout(60000);
    let server: ServerProcess;
    before(async () => {
        server = await ServerProcess.start({ MODEL_DIR: "", MODEL_VERSION: "2" });
    });
    after(async () => server?.stop());

    const post = (url: string, body: unknown) => fetch(`${server.url}${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    type Answer = { estimated_value: number; confidence_interval: [number, number]; model_version: string; inputs_used: string[] };
    const SEED_FIELDS = Object.keys(EXAMPLE_PROPERTY);
    const RECORD = { lat: 47.5112, long: -122.257, grade: 7, condition: 3, yr_built: 1955, yr_renovated: 0, sqft_lot: 5650, floors: 1, view: 0,
        waterfront: 0, sqft_living15: 1340 };

    it("answers the README's five-field request as before, saying it used those five fields", async () => {
        const res = await post("/predict", EXAMPLE_PROPERTY);
        assert.equal(res.status, 200);
        const body = (await res.json()) as Answer;
        const [low, high] = body.confidence_interval;
        assert.ok(low > 0 && low <= body.estimated_value && body.estimated_value <= high, JSON.stringify(body));
        assert.equal(body.model_version, "2");
        assert.deepEqual(body.inputs_used, SEED_FIELDS);
    });

    it("uses every optional field given, lists it in inputs_used, and narrows the interval with the full record", async () => {
        const seed = (await (await post("/predict", EXAMPLE_PROPERTY)).json()) as Answer;
        const full = (await (await post("/predict", { ...EXAMPLE_PROPERTY, ...RECORD })).json()) as Answer;
        assert.deepEqual(full.inputs_used, [...SEED_FIELDS, ...Object.keys(RECORD)]);
        assert.notEqual(full.estimated_value, seed.estimated_value);
        const width = (a: Answer) => a.confidence_interval[1] - a.confidence_interval[0];
        assert.ok(width(full) < width(seed), `full-record interval ${width(full)} vs five-field ${width(seed)}`);
        const some = (await (await post("/predict", { ...EXAMPLE_PROPERTY, grade: 9 })).json()) as Answer;
        assert.deepEqual(some.inputs_used, [...SEED_FIELDS, "grade"]);
    });

    it("refuses an optional field outside its range, naming it", async () => {
        const res = await post("/predict", { ...EXAMPLE_PROPERTY, grade: 14 });
        assert.ok(res.status === 400 || res.status === 422, String(res.status));
        assert.match(((await res.json()) as { error: string }).error, /grade/);
    });

    it("describes the wider tensor in OIP v2 metadata and takes NaN for a missing optional input in a binary tensor", async () => {
        const meta = (await (await fetch(`${server.url}/v2/models/property-valuation`)).json()) as { inputs: Array<{ shape: number[] }> };
        const width = meta.inputs[0].shape[1];
        assert.equal(width, SEED_FIELDS.length + Object.keys(RECORD).length);
        // As tritonclient sends it: JSON header, then the FP32 rows little-endian; NaN = missing.
        const rows = [[...Object.values(EXAMPLE_PROPERTY), ...Object.values(RECORD)], [...Object.values(EXAMPLE_PROPERTY), ...Object.values(RECORD).map(() => NaN)]];
        const tensor = Buffer.from(Float32Array.from(rows.flat()).buffer);
        const header = Buffer.from(JSON.stringify({ inputs: [{ name: "features", datatype: "FP32", shape: [2, width], parameters: { binary_data_size: tensor.length } }] }));
        const res = await fetch(`${server.url}/v2/models/property-valuation/infer`, {
            method: "POST", headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length) },
            body: Buffer.concat([header, tensor]),
        });
        assert.equal(res.status, 200, await res.clone().text());
        const { outputs } = (await res.json()) as { outputs: Array<{ name: string; data: number[] }> };
        const estimate = outputs.find((o) => o.name === "estimate")?.data ?? [];
        const full = (await (await post("/predict", { ...EXAMPLE_PROPERTY, ...RECORD })).json()) as Answer;
        const seed = (await (await post("/predict", EXAMPLE_PROPERTY)).json()) as Answer;
        assert.deepEqual(estimate, [full.estimated_value, seed.estimated_value]);
    });
});
