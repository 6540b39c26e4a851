// Validators and serializers compiled at build time, so a cold start compiles no schema.
//
// The route schemas stay the one source (they feed validation, serialization and /docs). At build time
// scripts/compile-schemas.ts builds the app for every bundled model with the recorder below switched on; each
// schema fastify (or the metadata reader) compiles is turned into standalone code (Ajv standalone,
// fast-json-stringify standalone) and filed under a hash of the schema and the compiler options. The build bundles
// those into dist/compiled-schemas.js. At run time the same hash finds the compiled function; a schema the build
// did not see (other limits from the environment, another model) misses and is compiled as before, lazily loading
// the compilers. Nothing can go stale: a changed schema has another hash.
//
// One caveat of fastify's custom-compiler mode: it no longer lower-cases `headers` schemas before compiling
// them. No route declares one; a route that adds one must write its header names in lower case.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FastifyServerOptions } from "fastify";

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
type BuildValidator = NonNullable<CompilersFactory["buildValidator"]>;
type BuildSerializer = NonNullable<CompilersFactory["buildSerializer"]>;
type Validate = ReturnType<ReturnType<BuildValidator>>;
type Serialize = ReturnType<ReturnType<BuildSerializer>>;
type RouteSchema = { schema: unknown; method?: string; url?: string; httpPart?: string; httpStatus?: string };
const where = (route: RouteSchema): string => [route.method, route.url, route.httpPart ?? route.httpStatus].filter(Boolean).join(" ");

interface CompiledTable {
    validators: Record<string, Validate>;
    serializers: Record<string, Serialize>;
}

/** Written by the build beside the bundle (dist/); absent when the service runs from its TypeScript sources. */
export const COMPILED_SCHEMAS_FILE = "compiled-schemas.js";

/** What a schema compiles to depends on the schema, the compiler options and any shared schemas it may $ref. */
export function schemaKey(kind: "validator" | "serializer", schema: unknown, options: unknown, shared: unknown): string {
    return createHash("sha256").update(JSON.stringify([kind, schema, options ?? null, shared ?? null])).digest("hex").slice(0, 32);
}

let table: CompiledTable | undefined;
function compiledTable(): CompiledTable {
    if (table === undefined) {
        const file = path.join(__dirname, COMPILED_SCHEMAS_FILE);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        table = fs.existsSync(file) ? (require(file) as CompiledTable) : { validators: {}, serializers: {} };
    }
    return table;
}

/** Build time only: receives the standalone code of every schema compiled while it is set. */
export interface SchemaRecorder {
    /** `where` names the route part, e.g. "POST /predict body" (empty for the service's own schemas). */
    validator(key: string, code: string, where: string): void;
    serializer(key: string, code: string, where: string): void;
}
let recorder: SchemaRecorder | undefined;

export function recordCompiledSchemas(into: SchemaRecorder | undefined): void {
    recorder = into;
    table = recorder ? { validators: {}, serializers: {} } : undefined;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the compilers load only when a schema misses */
function runtimeValidatorFactory(): BuildValidator {
    if (!recorder) return (require("@fastify/ajv-compiler") as () => BuildValidator)();
    const into = recorder;
    const { StandaloneValidator } = require("@fastify/ajv-compiler") as { StandaloneValidator: (o: object) => BuildValidator };
    return (shared, options) => {
        const snapshot = JSON.parse(JSON.stringify(options ?? null)) as unknown;
        return StandaloneValidator({
            readMode: false,
            storeFunction: (route: RouteSchema, code: string) => into.validator(schemaKey("validator", route.schema, snapshot, shared), code, where(route)),
            // A copy: the standalone wrapper writes its code option into what it is given, and fastify hands every
            // context the same options object, so the next context's key would differ from the run time's.
        })(shared, options && ({ ...options, customOptions: { ...options.customOptions } } as typeof options));
    };
}

function runtimeSerializerFactory(): BuildSerializer {
    const compiler = require("@fastify/fast-json-stringify-compiler") as { SerializerSelector: () => BuildSerializer; StandaloneSerializer: (o: object) => BuildSerializer };
    if (!recorder) return compiler.SerializerSelector();
    const into = recorder;
    return (shared, options) => {
        const snapshot = JSON.parse(JSON.stringify(options ?? null)) as unknown;
        return compiler.StandaloneSerializer({
            readMode: false,
            storeFunction: (route: RouteSchema, code: string) => into.serializer(schemaKey("serializer", route.schema, snapshot, shared), code, where(route)),
            // A schema with anyOf/if needs Ajv to pick a branch: inline its standalone code rather than load Ajv.
        })(shared, { ...options, inlineValidators: true });
    };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** fastify's `schemaController.compilersFactory`: the build's compiled function when there is one, else fastify's own compilers. */
export const precompiledCompilers: CompilersFactory = {
    buildValidator(shared, options) {
        const key = (schema: unknown): string => schemaKey("validator", schema, options, shared);
        let compile: ReturnType<BuildValidator> | undefined;
        return (route) => compiledTable().validators[key(route.schema)] ?? (compile ??= runtimeValidatorFactory()(shared, options))(route);
    },
    buildSerializer(shared, options) {
        const key = (schema: unknown): string => schemaKey("serializer", schema, options, shared);
        let compile: ReturnType<BuildSerializer> | undefined;
        return (route) => compiledTable().serializers[key(route.schema)] ?? (compile ??= runtimeSerializerFactory()(shared, options))(route);
    },
};

/** An Ajv validator for a schema of the service's own (not a route's), from the build when it compiled it. */
export function precompiledValidator<T>(schema: object, options: Record<string, unknown>): ((data: unknown) => data is T) & { errors?: Array<{ instancePath: string; message?: string }> | null } {
    const key = schemaKey("validator", schema, options, null);
    const found = compiledTable().validators[key];
    if (found) return found as never;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require("ajv") as { default: new (o: object) => { compile(s: object): Validate } }).default;
    const ajv = new Ajv({ ...options, ...(recorder ? { code: { source: true } } : {}) });
    const validate = ajv.compile(schema);
    if (recorder) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const standaloneCode = (require("ajv/dist/standalone") as { default: (a: unknown, v: Validate) => string }).default;
        recorder.validator(key, standaloneCode(ajv, validate), "");
    }
    return validate as never;
}
