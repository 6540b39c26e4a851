// The outside reference for cold starts: nothing but a process spawn and a polling client, no TypeScript loader,
// no instrumentation in the measured process. `npm run bench` runs it beside its own (instrumented) cold starts
// and requires the two to agree within 10 %; it can be run alone too:
//
//   node tools/load/cold-start-reference.cjs server services/inference/dist/server.js 10
//   node tools/load/cold-start-reference.cjs lambda services/inference/dist/lambda.js 10
//
// server: spawn `node <entry>` on a free loopback port, POST $COLD_START_BODY to /predict on a fresh connection
//         every 2 ms until it answers 200;
// lambda: spawn a fresh `node -e` that requires <entry>, invokes `handler` once with $COLD_START_EVENT (a
//         Function URL event) and prints the status; the clock stops when that line arrives.
// $COLD_START_CPUS (a taskset list) pins the measured process. Prints one JSON line: {"runs_ms": [...]}.
"use strict";
const { spawn } = require("node:child_process");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");

const [kind, entryArg, runsArg] = process.argv.slice(2);
const entry = path.resolve(entryArg ?? "");
const runs = Number(runsArg ?? 5);
const cpus = process.env.COLD_START_CPUS;

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer().once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

function spawnNode(args, env) {
    const [command, commandArgs] = cpus ? ["taskset", ["-c", cpus, process.execPath, ...args]] : [process.execPath, args];
    return spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
}

function post(port, body) {
    return new Promise((resolve) => {
        const req = http.request({ host: "127.0.0.1", port, path: "/predict", method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode));
        });
        req.on("error", () => resolve(0));
        req.end(body);
    });
}

const exited = (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("close", resolve)));

async function serverRun() {
    const port = await freePort();
    const start = performance.now();
    const child = spawnNode([entry], { PORT: String(port), HOST: "127.0.0.1" });
    child.stdout.resume();
    for (;;) {
        const status = await post(port, process.env.COLD_START_BODY);
        if (status === 200) break;
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
        if (status !== 0 && status !== 503) throw new Error(`server answered ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const elapsed = performance.now() - start;
    child.kill("SIGKILL");
    await exited(child);
    return elapsed;
}

const LAMBDA_PROBE = `Promise.resolve(require(process.argv[1]).handler(JSON.parse(process.env.COLD_START_EVENT), { awsRequestId: "reference", getRemainingTimeInMillis: () => 30000 }))
  .then((r) => { process.stdout.write("status " + r.statusCode + "\\n"); process.exit(0); }, (e) => { console.error(e); process.exit(1); });`;

async function lambdaRun() {
    const start = performance.now();
    const child = spawnNode(["-e", LAMBDA_PROBE, entry], {});
    const line = await new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
            out += chunk;
            const line = out.split("\n").find((l, i, all) => i < all.length - 1 && l.startsWith("status "));
            if (line !== undefined) resolve(line);
        });
        child.once("close", (code) => reject(new Error(`lambda probe exited with ${code}: ${out}`)));
    });
    const elapsed = performance.now() - start;
    if (line !== "status 200") throw new Error(`lambda handler answered: ${line}`);
    await exited(child);
    return elapsed;
}

(async () => {
    if (kind !== "server" && kind !== "lambda") throw new Error("usage: cold-start-reference.cjs server|lambda <entry> [runs]");
    const times = [];
    for (let i = 0; i < runs; i++) {
        // Let this process's own start-up work finish first, so it does not compete with the process it times.
        await new Promise((resolve) => setTimeout(resolve, 100));
        times.push(await (kind === "server" ? serverRun() : lambdaRun()));
    }
    process.stdout.write(`${JSON.stringify({ runs_ms: times.map((t) => Math.round(t * 100) / 100) })}\n`);
})().catch((error) => {
    console.error(error);
    process.exit(1);
});
