import { strict as assert } from "node:assert";
import type { FastifyInstance, InjectOptions } from "fastify";
import * as fc from "fast-check";
import { buildTestApp, EXAMPLE_PROPERTY, EXAMPLE_ROW } from "./helpers";

/**
 * Hostile input on every route: the answer is never a 5xx, the process never crashes, and every error
 * body names the problem. FUZZ_RUNS raises the case count for the long run (`npm run test:fuzz -w services/inference`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const MODEL = "/v2/models/property-valuation";

const json = fc.jsonValue({ maxDepth: 4 });
const hugeOrOdd = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, 5e-324, 0, -0, 2 ** 53 + 1), fc.string(), fc.constant(null), fc.boolean());
const field = fc.constantFrom(...Object.keys(EXAMPLE_PROPERTY), "zipcode", "instances", "__proto__", "constructor", "");

/** A valid /predict body with one field replaced or added. */
const mutatedProperty = fc.tuple(field, fc.oneof(json, hugeOrOdd)).map(([key, value]) => ({ ...EXAMPLE_PROPERTY, [key]: value }));
const batch = fc.array(fc.oneof(mutatedProperty, fc.constant(EXAMPLE_PROPERTY), json), { maxLength: 6 }).map((instances) => ({ instances }));
const tensor = fc.record({
    name: fc.oneof(fc.constant("features"), fc.string()),
    datatype: fc.oneof(fc.constant("FP32"), fc.constantFrom("FP64", "INT32", "BYTES", "BOOL"), fc.string()),
    shape: fc.oneof(fc.constant([1, 5]), fc.array(fc.oneof(fc.nat(20), fc.integer(), fc.double()), { maxLength: 4 }), json),
    data: fc.oneof(fc.constant(EXAMPLE_ROW), fc.constant([EXAMPLE_ROW]), fc.array(hugeOrOdd, { maxLength: 12 }), fc.array(fc.array(hugeOrOdd, { maxLength: 6 }), { maxLength: 3 }), json),
}, { requiredKeys: [] });
const inferBody = fc.oneof(
    fc.record({ inputs: fc.array(tensor, { maxLength: 3 }), outputs: fc.oneof(fc.constant(undefined), fc.array(fc.record({ name: fc.string() }))), id: fc.oneof(fc.string(), json) }, { requiredKeys: ["inputs"] }),
    json,
);
/** Nesting deeper than any schema allows, as raw text: `[[[[…]]]]` and `{"a":{"a":…}}`. */
const deepNesting = fc.integer({ min: 10, max: 20000 }).chain((depth) => fc.constantFrom("[".repeat(depth) + "]".repeat(depth), '{"a":'.repeat(depth) + "1" + "}".repeat(depth)));
const rawText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), deepNesting, fc.constantFrom("NaN", "Infinity", "-", "{", '{"square_feet":1e999}', "\u0000"));
const contentType = fc.oneof(fc.constant("application/json"), fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/octet-stream", ""), fc.string({ maxLength: 40 }));
const pathSegment = fc.oneof(fc.constant("property-valuation"), fc.string({ maxLength: 300 }).map(encodeURIComponent));

const postJson = (url: string) => (payload: unknown): InjectOptions => ({ method: "POST", url, headers: { "content-type": "application/json" }, payload: JSON.stringify(payload) });

/** Binary tensor data gone wrong: any header length, any JSON header (sizes included), any trailing bytes. */
const binaryInfer = fc
    .tuple(fc.oneof(inferBody, fc.constant({ inputs: [{ name: "features", datatype: "FP32", shape: [1, 5], parameters: { binary_data_size: 20 } }] })), fc.uint8Array({ maxLength: 64 }), fc.oneof(fc.nat(300), fc.string({ maxLength: 8 })), fc.constantFrom("application/octet-stream", "application/json", undefined))
    .map(([header, raw, length, type]) => {
        const json = Buffer.from(JSON.stringify(header));
        return {
            method: "POST" as const,
            url: `${MODEL}/infer`,
            payload: Buffer.concat([json, Buffer.from(raw)]),
            headers: { "inference-header-content-length": typeof length === "number" && length % 3 === 0 ? String(json.length) : String(length), ...(type ? { "content-type": type } : {}) },
        };
    });

const requests: fc.Arbitrary<InjectOptions> = fc.oneof(
    binaryInfer,
    fc.oneof(mutatedProperty, batch, json).map(postJson("/predict")),
    fc.tuple(fc.constantFrom(`${MODEL}/infer`, `${MODEL}/versions/1/infer`), inferBody).map(([url, body]) => postJson(url)(body)),
    fc.tuple(fc.constantFrom("/predict", `${MODEL}/infer`), rawText, contentType).map(([url, payload, type]) => ({ method: "POST" as const, url, payload, headers: type ? { "content-type": type } : {} })),
    fc.tuple(pathSegment, pathSegment, fc.constantFrom("", "/ready", "/infer")).map(([name, version, suffix]) => ({ method: "GET" as const, url: `/v2/models/${name}/versions/${version}${suffix}` })),
    fc.tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD") as fc.Arbitrary<InjectOptions["method"]>, fc.constantFrom("/health", "/ready", "/metrics", "/predict", "/v2", "/v2/health/live", "/v2/health/ready", "/docs/json", `${MODEL}`, `${MODEL}/ready`), fc.option(json))
        .map(([method, url, body]) => ({ method, url, ...(body === null ? {} : { payload: JSON.stringify(body), headers: { "content-type": "application/json" } }) })),
);

describe("hostile input on every route (fast-check)", function () {
    this.timeout(Math.max(60000, RUNS * 50));
    let app: FastifyInstance;
    before(async () => {
        app = await buildTestApp({ predictMaxBatch: 4, bodyLimitBytes: 65536 });
    });
    after(async () => app.close());

    it(`never answers with a 5xx, and every 4xx names the problem (${RUNS} cases per property)`, async () => {
        await fc.assert(
            fc.asyncProperty(requests, async (request) => {
                const res = await app.inject(request);
                assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
                if (res.statusCode >= 400 && request.method !== "HEAD") {
                    const error = res.json().error;
                    assert.equal(typeof error, "string");
                    assert.ok(error.length > 5, error);
                }
            }),
            { numRuns: RUNS },
        );
    });

    it(`answers every valid property the schema admits with an estimate inside its interval (${RUNS} cases)`, async () => {
        const valid = fc.record({
            square_feet: fc.double({ min: 200, max: 15000, noNaN: true }),
            bedrooms: fc.integer({ min: 0, max: 15 }),
            bathrooms: fc.double({ min: 0, max: 10, noNaN: true }),
            location_score: fc.double({ min: 0, max: 10, noNaN: true }),
            market_trend: fc.double({ min: -1, max: 1, noNaN: true }),
        });
        await fc.assert(
            fc.asyncProperty(valid, async (property) => {
                const res = await app.inject(postJson("/predict")(property));
                assert.equal(res.statusCode, 200, res.body);
                const { estimated_value: value, confidence_interval: [low, high] } = res.json();
                assert.ok(low <= value && value <= high, res.body);
            }),
            { numRuns: RUNS },
        );
    });
});
