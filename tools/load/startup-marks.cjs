// Start-up timeline of a service process, recorded from the inside without touching the service's code:
// loaded with `node -r tools/load/startup-marks.cjs <entry>` (or required first by the Lambda probe), it notes
// when node handed over to user code, when the entry module and onnxruntime-node were loaded, when the ONNX
// session was created and first run, when fastify was ready and listening, and when the first 200 left.
// Every mark is an epoch time in ms (performance.timeOrigin + now), so the spawning process can place them on
// its own clock. Plain CommonJS on purpose: a TypeScript loader would add its own start-up to what is measured.
// The hooks are one wrapper per require and a few one-shot listeners, well under a millisecond in total; the
// bench checks that runs with them agree with the plain outside reference (tools/load/cold-start-reference.cjs).
"use strict";
const Module = require("node:module");
const http = require("node:http");
const diagnostics = require("node:diagnostics_channel");

const now = () => performance.timeOrigin + performance.now();
const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
};
/** @type {Record<string, number>} wall clock, epoch ms */
const marks = { process_start: performance.timeOrigin, user_code: now() };
/** @type {Record<string, number>} CPU time of the process (all threads) at each mark, ms: steadier than wall time on a busy machine */
const cpu = { process_start: 0, user_code: cpuMs() };
const mark = (name) => {
    if (marks[name] !== undefined) return;
    marks[name] = now();
    cpu[name] = cpuMs();
};
globalThis.__startupMarks = { wall: marks, cpu };
// services/inference/scripts/load-bundle.cjs says whether V8 used the bundle's code cache; read when reported.
Object.defineProperty(globalThis.__startupMarks, "code_cache", { enumerable: true, get: () => globalThis.__codeCache ?? "none" });

function wrapSession(session) {
    let runs = 0;
    const run = session.run;
    session.run = function (...args) {
        const n = ++runs;
        if (n > 2) return run.apply(this, args);
        const label = n === 1 ? "warmup_run" : "first_request_run";
        mark(`${label}_start`);
        return run.apply(this, args).then((out) => {
            mark(`${label}_end`);
            return out;
        });
    };
    return session;
}

function instrumentOrt(ort) {
    const Session = ort.InferenceSession;
    const create = Session.create;
    Session.create = function (...args) {
        mark("session_create_start");
        return create.apply(this, args).then((session) => {
            mark("session_create_end");
            return wrapSession(session);
        });
    };
}

const load = Module._load;
let ortSeen = false;
Module._load = function (request, parent, isMain) {
    if (isMain) mark("entry_load_start");
    const isOrt = !ortSeen && request === "onnxruntime-node";
    if (isOrt) {
        ortSeen = true;
        mark("ort_load_start");
    }
    const exported = load.apply(this, arguments);
    if (isOrt) {
        mark("ort_load_end");
        instrumentOrt(exported);
    }
    if (isMain) mark("entry_load_end");
    return exported;
};

/** Lambda probe: the handler module is required, not run as main. */
globalThis.__markStartup = mark;

// The service's own fastify instance is the first one created; the /docs app comes later, if ever.
diagnostics.subscribe("fastify.initialization", function onInit({ fastify }) {
    diagnostics.unsubscribe("fastify.initialization", onInit);
    mark("fastify_created");
    fastify.addHook("onReady", async () => mark("app_ready"));
});

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
    if (event === "listening") mark("listening");
    if (event === "request" && marks.first_200_end === undefined) {
        const arrived = now();
        response.once("finish", () => {
            if (response.statusCode !== 200 || marks.first_200_end !== undefined) return;
            marks.first_200_request = arrived;
            mark("first_200_end");
            // After the answer is on its way: the line costs the client nothing.
            setImmediate(() => process.stderr.write(`startup-marks ${JSON.stringify(globalThis.__startupMarks)}\n`));
        });
    }
    return emit.apply(this, arguments);
};
