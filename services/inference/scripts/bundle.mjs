// Bundles the two entry points into dist/server.js and dist/lambda.js (run by `npm run build` after tsc has
// type-checked). One file instead of hundreds of modules cuts cold start: resolving, reading and wrapping each
// `require` was a large share of it (docs/performance.md). Kept external:
// - onnxruntime-node: it loads a native addon relative to its own directory;
// - @fastify/swagger-ui: it serves its static assets from its own directory;
// - @fastify/swagger: only the first /docs request loads it (src/routes/docs.ts), and with yaml it was a sixth
//   of the bundle that every cold start would still parse;
// - the cloud auth SDKs of the hybrid overflow: loaded only when OVERFLOW_URL is set, and left as they ship;
// - pino-pretty: loaded only when logs are pretty (a terminal or LOG_FORMAT=pretty), never in production.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";

const serviceDir = path.resolve(import.meta.dirname, "..");
const outdir = path.join(serviceDir, "dist");

fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
    absWorkingDir: serviceDir,
    entryPoints: { server: "src/server.ts", lambda: "src/lambda.ts" },
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    // The entry files' own paths (config.ts resolves the bundled model from __dirname) stay valid: dist/ is
    // one level below the service directory, as tsc's output was.
    external: ["onnxruntime-node", "@fastify/swagger", "@fastify/swagger-ui", "google-auth-library", "@aws-sdk/*", "@smithy/*", "@aws-crypto/*", "pino-pretty"],
    logLevel: "warning",
});
