// Build step (scripts/bundle.mjs): starts an entry of the freshly built dist/ once, sends it one /predict, and has
// dist/load-bundle.cjs write the V8 code cache of everything compiled up to that answer. Usage:
//   node scripts/write-code-cache.cjs server|lambda <dist dir>
// $CODE_CACHE_BODY is the /predict body (a valid instance of the default model, from scripts/compile-schemas.ts).
"use strict";
const { spawn } = require("node:child_process");
const http = require("node:http");
const path = require("node:path");

const [entry, dist] = process.argv.slice(2);
const body = process.env.CODE_CACHE_BODY;
// A build machine's SECRETS_ARN would make the probe read a secret (and fail without AWS access): the cache needs none.
const { SECRETS_ARN: _unused, ...buildEnv } = process.env;
const env = { ...buildEnv, CODE_CACHE_WRITE: "1", LOG_LEVEL: "silent", HOST: "127.0.0.1" };

// Preloaded into the server: say which port it took (PORT=0), and after the first 200 has left, write the cache and exit.
const SERVER_HOOK = `const http = require("node:http"); const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === "listening") process.stdout.write("port " + this.address().port + "\\n");
  if (event === "request") response.once("finish", () => { if (response.statusCode === 200) setImmediate(() => { globalThis.__writeCodeCache(); process.exit(0); }); });
  return emit.apply(this, arguments);
};`;
const LAMBDA_PROBE = `const { handler } = require(${JSON.stringify(path.join(dist, "lambda.js"))});
const event = { version: "2.0", routeKey: "$default", rawPath: "/predict", rawQueryString: "", headers: { "content-type": "application/json" },
  requestContext: { http: { method: "POST", path: "/predict", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "build" }, requestId: "build", routeKey: "$default", stage: "$default", timeEpoch: Date.now() },
  body: process.env.CODE_CACHE_BODY, isBase64Encoded: false };
handler(event, { awsRequestId: "build", getRemainingTimeInMillis: () => 30000 }).then((r) => {
  if (r.statusCode !== 200) { console.error(r.body); process.exit(1); }
  globalThis.__writeCodeCache(); process.exit(0);
}, (e) => { console.error(e); process.exit(1); });`;

function post(port) {
    return new Promise((resolve) => {
        const req = http.request({ host: "127.0.0.1", port, path: "/predict", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode));
        });
        req.on("error", () => resolve(0));
        req.end(body);
    });
}

async function main() {
    const exited = (child) => new Promise((resolve) => child.once("close", resolve));
    if (entry === "lambda") {
        const code = await exited(spawn(process.execPath, ["-e", LAMBDA_PROBE], { env, stdio: "inherit" }));
        if (code !== 0) throw new Error(`lambda code-cache run exited with ${code}`);
        return;
    }
    const child = spawn(process.execPath, ["-e", `${SERVER_HOOK}\nrequire(${JSON.stringify(path.join(dist, "server.js"))});`], { env: { ...env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
            out += chunk;
            const match = /^port (\d+)$/m.exec(out);
            if (match) resolve(Number(match[1]));
        });
        child.once("close", (code) => reject(new Error(`server exited with ${code} before listening`)));
    });
    const done = exited(child);
    const deadline = Date.now() + 60_000;
    while (child.exitCode === null && (await post(port)) !== 200) {
        if (Date.now() > deadline) throw new Error("server did not answer 200 within 60 s");
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = await done;
    if (code !== 0) throw new Error(`server code-cache run exited with ${code}`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
