// Build-time compiled validators and serializers (services/inference/src/compiled-schemas.ts): what the build
// records for a route must behave exactly like what fastify compiles at run time, and be found by the same key.
import { strict as assert } from "node:assert";
import { buildApp } from "../../services/inference/src/app";
import { precompiledCompilers, recordCompiledSchemas, schemaKey } from "../../services/inference/src/compiled-schemas";
import { DEFAULT_CONFIG } from "../../services/inference/src/config";
import { writeLinearModelDir } from "./fixtures/linear-model";

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** Loads standalone code as the bundle does, as a CommonJS module. */
function loadModule<T>(code: string): T {
    const module = { exports: {} as T };
    new Function("module", "exports", "require", code)(module, module.exports, require);
    return module.exports;
}

describe("compiled schemas (build-time validators and serializers)", function () {
    this.timeout(30000);
    const validators = new Map<string, string>();
    const serializers = new Map<string, string>();
    const places = new Map<string, string>();
    const config = { ...DEFAULT_CONFIG, modelDir: writeLinearModelDir(), logLevel: "silent" as const, maxEventLoopDelayMs: 0 };

    before(async () => {
        recordCompiledSchemas({
            validator: (k, c, where) => (validators.set(k, c), places.set(where, c)),
            serializer: (k, c, where) => (serializers.set(k, c), places.set(where, c)),
        });
        try {
            const app = await buildApp({ config, session: Promise.resolve({ run: async () => ({}) }), logger: false });
            await app.ready();
            await app.close();
        } finally {
            recordCompiledSchemas(undefined);
        }
    });

    it("records every route's body, params and response schemas", () => {
        for (const where of ["POST /predict body", "POST /v2/models/:name/infer body", "POST /v2/models/:name/infer params", "POST /predict 200", "GET /ready 200"]) {
            assert.ok(places.has(where), `nothing recorded for ${where}; recorded: ${[...places.keys()].join(", ")}`);
        }
    });

    it("files a schema under a key of the schema, the compiler options and the shared schemas", () => {
        const schema = { type: "object", properties: { a: { type: "number" } } };
        const key = schemaKey("validator", schema, { customOptions: { coerceTypes: false } }, {});
        assert.equal(key, schemaKey("validator", JSON.parse(JSON.stringify(schema)), { customOptions: { coerceTypes: false } }, {}));
        assert.notEqual(key, schemaKey("validator", { ...schema, required: ["a"] }, { customOptions: { coerceTypes: false } }, {}));
        assert.notEqual(key, schemaKey("validator", schema, { customOptions: { coerceTypes: true } }, {}));
        assert.notEqual(key, schemaKey("serializer", schema, { customOptions: { coerceTypes: false } }, {}));
    });

    it("compiles a schema the build did not see at run time", () => {
        const build = precompiledCompilers.buildValidator as (shared: unknown, options: unknown) => (route: { schema: unknown }) => Validate;
        const validate = build({}, { customOptions: { strictNumbers: true } })({ schema: { type: "object", required: ["x"] } });
        assert.equal(validate({ x: 1 }), true);
        assert.equal(validate({}), false);
    });

    it("answers /predict with the recorded validator exactly as with the run-time one", async () => {
        const app = await buildApp({ config, logger: false });
        await app.serving.loaded;
        try {
            const bodies = [
                { square_feet: 2000, bedrooms: 3, bathrooms: 2, location_score: 7, market_trend: 0.1 },
                { square_feet: -5, bedrooms: 3, bathrooms: 2, location_score: 7, market_trend: 0.1 },
                { square_feet: 2000, bedrooms: 3.5, bathrooms: 2, location_score: 7, market_trend: 0.1 },
                { instances: [] },
                { instances: [{ square_feet: 2000 }] },
                "not an object",
                { extra: 1 },
            ];
            const recorded = loadModule<Validate>(places.get("POST /predict body") as string);
            for (const body of bodies) {
                const live = await app.inject({ method: "POST", url: "/predict", payload: JSON.stringify(body), headers: { "content-type": "application/json" } });
                assert.equal(recorded(body), live.statusCode === 200, `${JSON.stringify(body)} → ${live.statusCode} ${live.body}`);
            }
        } finally {
            await app.close();
        }
    });

    it("turns every recorded serializer into a function that writes JSON", () => {
        for (const code of serializers.values()) {
            const serialize = loadModule<(data: unknown) => string>(code);
            assert.equal(typeof serialize, "function");
            assert.doesNotThrow(() => JSON.parse(serialize({ error: "x" })));
        }
    });
});
