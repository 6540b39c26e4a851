// Bundles the two entry points into dist/server.bundle.js and dist/lambda.bundle.js (run by `npm run build` after
// tsc has type-checked), compiles the route schemas into dist/compiled-schemas.js, then runs each entry once to
// write its V8 code cache; dist/server.js and dist/lambda.js load the bundle with it (scripts/load-bundle.cjs).
// One file instead of hundreds of modules cuts cold start: resolving, reading and wrapping each `require` was a
// large share of it, and the code cache saves compiling it (docs/performance.md).
// Kept external:
// - onnxruntime-node: it loads a native addon relative to its own directory;
// - @fastify/swagger-ui: it serves its static assets from its own directory;
// - @fastify/swagger: only the first /docs request loads it (src/routes/docs.ts), and with yaml it was a sixth
//   of the bundle that every cold start would still parse;
// - the schema compilers (ajv, fast-json-stringify and fastify's wrappers of them): the build compiles every
//   schema the bundled models' routes declare (scripts/compile-schemas.ts), so they load only for a schema the
//   build did not see — another model or other limits from the environment (src/compiled-schemas.ts);
// - the cloud auth SDKs of the hybrid overflow: loaded only when OVERFLOW_URL is set, and left as they ship;
// - pino-pretty: only local pretty logs load it.
import { execFileSync } from "node:child_process";
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";

const serviceDir = path.resolve(import.meta.dirname, "..");
const outdir = path.join(serviceDir, "dist");
const common = {
    absWorkingDir: serviceDir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // import() becomes require(): Node 20 loses a script's dynamic-import callback when it runs from a code cache
    // written by another process (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and every package imported is CommonJS.
    supported: { "dynamic-import": false },
    logLevel: "warning",
};
const external = ["onnxruntime-node", "@fastify/swagger", "@fastify/swagger-ui", "google-auth-library", "@aws-sdk/*", "@smithy/*", "@aws-crypto/*", "pino-pretty"];
const compilers = ["ajv", "@fastify/ajv-compiler", "@fastify/fast-json-stringify-compiler", "fast-json-stringify"];

fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
    ...common,
    entryPoints: { "server.bundle": "src/server.ts", "lambda.bundle": "src/lambda.ts" },
    outdir,
    sourcemap: true,
    // The entry files' own paths (config.ts resolves the bundled model from __dirname) stay valid: dist/ is
    // one level below the service directory, as tsc's output was.
    external: [...external, ...compilers],
});

// The schemas: build the app per bundled model with the recorder on, then bundle what it wrote.
// In dist/, like the entry points: node resolves the external packages from there, and the app finds its
// service directory one level up (src/config.ts).
const work = path.join(outdir, ".compiled-schemas");
const generator = path.join(outdir, "compile-schemas.cjs");
/** A valid /predict body for the default model, from the schema step (the service's strict metadata reader). */
let body;
try {
    await esbuild.build({ ...common, entryPoints: ["scripts/compile-schemas.ts"], outfile: generator, external });
    execFileSync(process.execPath, [generator, path.join(work, "out"), path.join(serviceDir, "models")], { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "silent" } });
    await esbuild.build({ ...common, entryPoints: [path.join(work, "out", "index.js")], outfile: path.join(outdir, "compiled-schemas.js") });
    body = fs.readFileSync(path.join(work, "out", "predict-body.json"), "utf8");
} finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(generator, { force: true });
}

// The entry files the image runs (`node dist/server.js`, handler `dist/lambda.handler`): the bundle plus its code cache.
fs.copyFileSync(path.join(serviceDir, "scripts", "load-bundle.cjs"), path.join(outdir, "load-bundle.cjs"));
fs.writeFileSync(path.join(outdir, "server.js"), '"use strict";\nrequire("./load-bundle.cjs")("server");\n');
fs.writeFileSync(path.join(outdir, "lambda.js"), '"use strict";\nmodule.exports = require("./load-bundle.cjs")("lambda");\n');

for (const entry of ["server", "lambda"]) {
    execFileSync(process.execPath, [path.join(serviceDir, "scripts", "write-code-cache.cjs"), entry, outdir], { stdio: "inherit", env: { ...process.env, CODE_CACHE_BODY: body } });
}
