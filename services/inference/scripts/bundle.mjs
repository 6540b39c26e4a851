// Bundles the two entry points into dist/server.js and dist/lambda.js (run by `npm run build` after tsc has
// type-checked), then compiles the route schemas into dist/compiled-schemas.js. One file instead of hundreds of
// modules cuts cold start: resolving, reading and wrapping each `require` was a large share of it (docs/performance.md).
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
    logLevel: "warning",
};
const external = ["onnxruntime-node", "@fastify/swagger", "@fastify/swagger-ui", "google-auth-library", "@aws-sdk/*", "@smithy/*", "@aws-crypto/*", "pino-pretty"];
const compilers = ["ajv", "@fastify/ajv-compiler", "@fastify/fast-json-stringify-compiler", "fast-json-stringify"];

fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
    ...common,
    entryPoints: { server: "src/server.ts", lambda: "src/lambda.ts" },
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
try {
    await esbuild.build({ ...common, entryPoints: ["scripts/compile-schemas.ts"], outfile: generator, external });
    execFileSync(process.execPath, [generator, path.join(work, "out"), path.join(serviceDir, "models")], { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "silent" } });
    await esbuild.build({ ...common, entryPoints: [path.join(work, "out", "index.js")], outfile: path.join(outdir, "compiled-schemas.js") });
} finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(generator, { force: true });
}
