import { strict as assert } from "node:assert";
import type { FastifyInstance } from "fastify";
import { linearEstimate } from "./fixtures/linear-model";
import { buildTestApp, EXAMPLE_PROPERTY, EXAMPLE_ROW, metricValue } from "./helpers";

const f32 = Math.fround;

describe("inference service routes (real onnxruntime session on the linear fixture model)", () => {
    let app: FastifyInstance;
    before(async () => {
        app = await buildTestApp({ predictMaxBatch: 4 });
    });
    after(async () => app.close());

    const post = (url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as object });

    describe("POST /predict", () => {
        it("returns the model's estimate, its interval and the model version for one property", async () => {
            const res = await post("/predict", EXAMPLE_PROPERTY);
            assert.equal(res.statusCode, 200);
            const expected = linearEstimate(EXAMPLE_ROW);
            const body = res.json();
            assert.equal(body.estimated_value, f32(expected.estimate));
            assert.deepEqual(body.confidence_interval, [f32(expected.lower), f32(expected.upper)]);
            assert.equal(body.model_version, "1");
            assert.ok(body.confidence_interval[0] <= body.estimated_value && body.estimated_value <= body.confidence_interval[1]);
        });

        it("looks the location score up from a known zipcode", async () => {
            const { location_score: _, ...rest } = EXAMPLE_PROPERTY;
            const res = await post("/predict", { ...rest, zipcode: "98004" });
            assert.equal(res.statusCode, 200);
            assert.equal(res.json().estimated_value, f32(linearEstimate([2000, 3, 2, 9.1, 0.1]).estimate));
        });

        it("answers a batch of instances in request order", async () => {
            const instances = [EXAMPLE_PROPERTY, { ...EXAMPLE_PROPERTY, square_feet: 3000 }];
            const res = await post("/predict", { instances });
            assert.equal(res.statusCode, 200);
            const values = res.json().predictions.map((p: { estimated_value: number }) => p.estimated_value);
            assert.deepEqual(values, [f32(linearEstimate(EXAMPLE_ROW).estimate), f32(linearEstimate([3000, 3, 2, 7, 0.1]).estimate)]);
        });

        const rejections: Array<[string, unknown, RegExp]> = [
            ["a string that is not a number where a number belongs", { ...EXAMPLE_PROPERTY, square_feet: "large" }, /body\/square_feet must be number/],
            ["a missing feature", { ...EXAMPLE_PROPERTY, bedrooms: undefined }, /must have required property 'bedrooms'/],
            ["an unknown field in place of a required one", { ...EXAMPLE_PROPERTY, bedrooms: undefined, bedroms: 3 }, /must have required property 'bedrooms'/],
            ["a negative area", { ...EXAMPLE_PROPERTY, square_feet: -5 }, /body\/square_feet must be >= 200/],
            ["a value above the trained range", { ...EXAMPLE_PROPERTY, bedrooms: 40 }, /body\/bedrooms must be <= 15/],
            ["a fractional count", { ...EXAMPLE_PROPERTY, bedrooms: 2.5 }, /body\/bedrooms must be integer/],
            ["an unknown zipcode", { ...EXAMPLE_PROPERTY, location_score: undefined, zipcode: "12345" }, /body\/zipcode must be one of the allowed values \(98001, 98004\)/],
            ["both zipcode and location score", { ...EXAMPLE_PROPERTY, zipcode: "98001" }, /either location_score or zipcode, not both/],
            ["neither zipcode nor location score", { ...EXAMPLE_PROPERTY, location_score: undefined }, /'location_score' or 'zipcode'/],
            ["a batch over the maximum", { instances: Array(5).fill(EXAMPLE_PROPERTY) }, /body\/instances must NOT have more than 4 items/],
            ["an empty batch", { instances: [] }, /body\/instances must NOT have fewer than 1 items/],
            ["a bad instance inside a batch", { instances: [EXAMPLE_PROPERTY, { ...EXAMPLE_PROPERTY, bathrooms: null }] }, /body\/instances\/1\/bathrooms must be number/],
            ["an array body", [EXAMPLE_PROPERTY], /body must be object/],
        ];
        for (const [what, payload, message] of rejections) {
            it(`rejects ${what} with FastAPI's 422, a readable error naming the field and the detail list`, async () => {
                const res = await post("/predict", payload);
                assert.equal(res.statusCode, 422, res.body);
                assert.equal(res.headers["content-type"], "application/json");
                assert.match(res.json().error, message);
                const [detail] = res.json().detail;
                assert.equal(detail.loc[0], "body");
                assert.equal(typeof detail.msg, "string");
                assert.equal(typeof detail.type, "string");
            });
        }

        it("rejects a body that is not JSON with FastAPI's 422 json_invalid", async () => {
            const res = await app.inject({ method: "POST", url: "/predict", headers: { "content-type": "application/json" }, payload: "{NaN}" });
            assert.equal(res.statusCode, 422);
            assert.ok(res.json().error.length > 0);
            assert.deepEqual(res.json().detail, [{ loc: ["body", 0], msg: "JSON decode error", type: "json_invalid" }]);
        });

        it("turns numbers JSON cannot hold (1e999 → Infinity) into a 422 naming the field", async () => {
            const res = await app.inject({ method: "POST", url: "/predict", headers: { "content-type": "application/json" }, payload: JSON.stringify(EXAMPLE_PROPERTY).replace("2000", "1e999") });
            assert.equal(res.statusCode, 422);
            assert.match(res.json().error, /square_feet/);
        });

        it("rejects a content type other than JSON with a 415", async () => {
            const res = await app.inject({ method: "POST", url: "/predict", headers: { "content-type": "text/plain" }, payload: "square_feet=2000" });
            assert.equal(res.statusCode, 415);
            assert.match(res.json().error, /text\/plain/);
        });

        it("rejects a body over the size limit with a 413", async () => {
            const small = await buildTestApp({ bodyLimitBytes: 1024 });
            const res = await small.inject({ method: "POST", url: "/predict", payload: { instances: Array(40).fill(EXAMPLE_PROPERTY) } });
            await small.close();
            assert.equal(res.statusCode, 413);
            assert.match(res.json().error, /too large/i);
        });
    });

    describe("Open Inference Protocol v2", () => {
        const infer = (data: unknown, shape = [1, 5], extra: object = {}) => ({ inputs: [{ name: "features", datatype: "FP32", shape, data }], ...extra });

        it("describes the server and reports it live and ready", async () => {
            assert.deepEqual((await app.inject("/v2")).json(), { name: "model-serving", version: "0.1.0", extensions: ["binary_tensor_data"] });
            assert.deepEqual((await app.inject("/v2/health/live")).json(), { live: true });
            const ready = await app.inject("/v2/health/ready");
            assert.equal(ready.statusCode, 200);
            assert.deepEqual(ready.json(), { ready: true });
        });

        it("describes the model with and without its version", async () => {
            for (const url of ["/v2/models/property-valuation", "/v2/models/property-valuation/versions/1"]) {
                const res = await app.inject(url);
                assert.equal(res.statusCode, 200);
                assert.deepEqual(res.json().inputs, [{ name: "features", datatype: "FP32", shape: [-1, 5] }]);
                assert.deepEqual(res.json().outputs.map((o: { name: string }) => o.name), ["estimate", "lower", "upper"]);
                assert.equal((await app.inject(`${url}/ready`)).json().ready, true);
            }
        });

        it("answers 404 with an error for an unknown model name or version", async () => {
            for (const url of ["/v2/models/other", "/v2/models/other/ready", "/v2/models/property-valuation/versions/9/ready"]) {
                const res = await app.inject(url);
                assert.equal(res.statusCode, 404);
                assert.match(res.json().error, /not found/);
            }
            const res = await post("/v2/models/other/infer", infer(EXAMPLE_ROW));
            assert.equal(res.statusCode, 404);
            assert.match(res.json().error, /model 'other' not found; this server serves 'property-valuation'/);
        });

        it("returns the same numbers as /predict for the same features, flat or nested, echoing the id", async () => {
            const predicted = (await post("/predict", EXAMPLE_PROPERTY)).json();
            for (const data of [EXAMPLE_ROW, [EXAMPLE_ROW]]) {
                const res = await post("/v2/models/property-valuation/versions/1/infer", infer(data, [1, 5], { id: "req-7" }));
                assert.equal(res.statusCode, 200, res.body);
                const body = res.json();
                assert.equal(body.id, "req-7");
                assert.equal(body.model_name, "property-valuation");
                const byName = Object.fromEntries(body.outputs.map((o: { name: string; data: number[]; shape: number[] }) => [o.name, o]));
                assert.deepEqual(byName.estimate.shape, [1, 1]);
                assert.deepEqual([byName.estimate.data[0], byName.lower.data[0], byName.upper.data[0]], [predicted.estimated_value, ...predicted.confidence_interval]);
            }
        });

        it("returns only the outputs the request names", async () => {
            const res = await post("/v2/models/property-valuation/infer", infer([...EXAMPLE_ROW, ...EXAMPLE_ROW], [2, 5], { outputs: [{ name: "upper" }] }));
            assert.equal(res.statusCode, 200);
            assert.deepEqual(res.json().outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape]), [["upper", [2, 1]]]);
        });

        const rejections: Array<[string, unknown, RegExp]> = [
            ["a shape whose size disagrees with the data", infer(EXAMPLE_ROW, [2, 5]), /inputs\[0\]\.data holds 5 values but shape \[2,5\] needs 10/],
            ["the wrong number of columns", infer([1, 2, 3], [1, 3]), /inputs\[0\]\.shape must be \[N, 5\]/],
            ["nested rows that disagree with the shape", infer([[1, 2], [3]], [2, 5]), /must be flat or nested as rows of shape \[2,5\]/],
            ["a datatype other than FP32", { inputs: [{ name: "features", datatype: "INT64", shape: [1, 5], data: EXAMPLE_ROW }] }, /datatype must be one of the allowed values \(FP32\)/],
            ["an unknown input name", { inputs: [{ name: "x", datatype: "FP32", shape: [1, 5], data: EXAMPLE_ROW }] }, /unknown input 'x'/],
            ["an unknown output name", infer(EXAMPLE_ROW, [1, 5], { outputs: [{ name: "median" }] }), /unknown output 'median'/],
            ["a value outside a feature's range", infer([2000, 3, 2, 70, 0.1]), /row 0: location_score must be <= 10, got 70/],
            ["more rows than the maximum batch", infer(Array(25).fill(1), [5, 5]), /shape\[0\] must be from 1 to 4 rows, got 5/],
            ["strings in the data", infer(["2000", 3, 2, 7, 0.1]), /inputs\/0\/data\/0 must be number/],
            ["a missing inputs field", { id: "x" }, /must have required property 'inputs'/],
        ];
        for (const [what, payload, message] of rejections) {
            it(`rejects ${what} with a 400 naming the problem`, async () => {
                const res = await post("/v2/models/property-valuation/infer", payload);
                assert.equal(res.statusCode, 400, res.body);
                assert.match(res.json().error, message);
            });
        }
    });

    describe("operations endpoints", () => {
        it("answers liveness and readiness once the model is loaded", async () => {
            assert.deepEqual((await app.inject("/health")).json(), { status: "ok" });
            const ready = await app.inject("/ready");
            assert.equal(ready.statusCode, 200);
            assert.deepEqual(ready.json(), { status: "ready" });
        });

        it("exposes the prediction counter, duration histogram, queue gauge and cache counters", async () => {
            const before = (await app.inject("/metrics")).body;
            await post("/predict", { ...EXAMPLE_PROPERTY, square_feet: 4321 });
            await post("/predict", { ...EXAMPLE_PROPERTY, square_feet: 4321 });
            const res = await app.inject("/metrics");
            assert.match(res.headers["content-type"] as string, /^text\/plain/);
            const after = res.body;
            assert.equal(metricValue(after, "model_predictions_total") - metricValue(before, "model_predictions_total"), 1);
            assert.equal(metricValue(after, "prediction_cache_hits_total") - metricValue(before, "prediction_cache_hits_total"), 1);
            assert.equal(metricValue(after, "prediction_cache_misses_total") - metricValue(before, "prediction_cache_misses_total"), 1);
            assert.ok(metricValue(after, "model_prediction_duration_seconds_count") > metricValue(before, "model_prediction_duration_seconds_count"));
            assert.equal(metricValue(after, "inference_queue_length"), 0);
            assert.ok(metricValue(after, "process_resident_memory_bytes") > 0);
        });

        it("serves an OpenAPI document generated from the route schemas, and its UI at /docs", async () => {
            const doc = (await app.inject("/docs/json")).json();
            assert.ok(doc.paths["/predict"].post.requestBody);
            assert.ok(doc.paths["/v2/models/{name}/infer"].post);
            const ui = await app.inject("/docs/");
            assert.equal(ui.statusCode, 200);
            assert.match(ui.body, /swagger/i);
        });

        it("answers unknown routes with a 404 error body and echoes a sane x-request-id", async () => {
            const res = await app.inject({ url: "/nope", headers: { "x-request-id": "abc-123" } });
            assert.equal(res.statusCode, 404);
            assert.match(res.json().error, /no route GET \/nope/);
            assert.equal(res.headers["x-request-id"], "abc-123");
        });

        it("turns readiness to 503 at once when draining starts, while liveness stays 200", async () => {
            const draining = await buildTestApp();
            draining.serving.startDraining();
            const [ready, v2ready, live] = await Promise.all([draining.inject("/ready"), draining.inject("/v2/health/ready"), draining.inject("/health")]);
            await draining.close();
            assert.deepEqual([ready.statusCode, ready.json().status], [503, "draining"]);
            assert.equal(v2ready.statusCode, 503);
            assert.equal(live.statusCode, 200);
        });
    });
});
