import { strict as assert } from "node:assert";
import type { FastifyInstance } from "fastify";
import { buildTestApp, EXAMPLE_PROPERTY } from "./helpers";

/** Requests as a client written for the guide's FastAPI app sends them (requests / httpx). */
describe("FastAPI-era clients of /predict", () => {
    let app: FastifyInstance;
    before(async () => {
        app = await buildTestApp();
    });
    after(async () => app.close());

    it("accepts JSON posted without a Content-Type (requests' data=json.dumps(...))", async () => {
        // light-my-request adds no Content-Type to a string payload; the hook proves the request really had none.
        let seen: string | undefined = "unset";
        app.addHook("onRequest", async (request) => {
            seen = request.headers["content-type"];
        });
        const res = await app.inject({ method: "POST", url: "/predict", payload: JSON.stringify(EXAMPLE_PROPERTY) });
        assert.equal(seen, undefined);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(typeof res.json().estimated_value, "number");
    });

    it("answers a missing field with 422 and FastAPI's detail (loc, msg, type) next to the readable error", async () => {
        const { bedrooms: _, ...missing } = EXAMPLE_PROPERTY;
        const res = await app.inject({ method: "POST", url: "/predict", payload: missing });
        assert.equal(res.statusCode, 422);
        assert.equal(res.headers["content-type"], "application/json");
        assert.deepEqual(res.json(), {
            error: "body must have required property 'bedrooms'",
            detail: [{ loc: ["body", "bedrooms"], msg: "Field required", type: "missing" }],
        });
    });

    it("reads numeric strings as numbers, as pydantic does, and still refuses ones out of range", async () => {
        const asStrings = Object.fromEntries(Object.entries(EXAMPLE_PROPERTY).map(([key, value]) => [key, String(value)]));
        const ok = await app.inject({ method: "POST", url: "/predict", payload: asStrings });
        const same = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY });
        assert.equal(ok.statusCode, 200, ok.body);
        assert.equal(ok.json().estimated_value, same.json().estimated_value);
        const tooMany = await app.inject({ method: "POST", url: "/predict", payload: { ...EXAMPLE_PROPERTY, bedrooms: "40" } });
        assert.equal(tooMany.statusCode, 422);
        assert.deepEqual(tooMany.json().detail, [{ loc: ["body", "bedrooms"], msg: "Input should be less than or equal to 15", type: "less_than_equal", input: 40 }]);
    });

    it("ignores fields the model does not take, naming them in x-ignored-fields, in single and batch bodies", async () => {
        const single = await app.inject({ method: "POST", url: "/predict", payload: { ...EXAMPLE_PROPERTY, pool: true, "year built": 1990 } });
        assert.equal(single.statusCode, 200, single.body);
        assert.equal(single.headers["x-ignored-fields"], "pool, year%20built");
        const batch = await app.inject({ method: "POST", url: "/predict", payload: { instances: [{ ...EXAMPLE_PROPERTY, pool: true }], request_id: "r1" } });
        assert.equal(batch.statusCode, 200, batch.body);
        assert.equal(batch.headers["x-ignored-fields"], "request_id, pool");
        const plain = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY });
        assert.equal(plain.headers["x-ignored-fields"], undefined);
    });

    it("serves the OpenAPI document at /openapi.json, where FastAPI serves it", async () => {
        const res = await app.inject("/openapi.json");
        assert.equal(res.statusCode, 200);
        const document = res.json();
        assert.match(document.openapi, /^3\./);
        assert.ok(document.paths["/predict"].post);
        assert.equal(document.paths["/openapi.json"], undefined);
    });
});
