// One entry for every load run: closed loop (autocannon) or open loop (paced; wrk2 when given), in this process or in a child
// pinned to given cores. Pinning the generator away from the server (taskset -c 0 here, -c 1 there) keeps the
// two from taking each other's CPU, which on a small machine decides the tail latency more than the server does.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { runClosedLoop, type ClosedLoopOptions } from "./closed-loop";
import type { LoadResult } from "./load-result";
import { runOpenLoop, type OpenLoopOptions } from "./open-loop";
import { runWrk2, type Wrk2Options } from "./wrk2";

export type LoadSpec =
    | ({ loop: "closed" } & ClosedLoopOptions & { bodies: readonly string[] })
    | ({ loop: "open" } & OpenLoopOptions & { bodies: readonly string[]; warmupSec?: number });

/**
 * The node loops, in this process. An open loop's warm-up runs in the same process as its measurement: a fresh
 * generator's own JIT warm-up falls behind its schedule, and every late send would count as the server's latency.
 */
export async function runLoadHere(spec: LoadSpec): Promise<LoadResult> {
    if (spec.loop === "closed") return runClosedLoop(spec);
    if (spec.warmupSec) await runOpenLoop({ ...spec, durationSec: spec.warmupSec });
    return runOpenLoop(spec);
}

const CHILD = path.join(__dirname, "generator-child.ts");

/** Runs `spec` in this process, or, with `cpus` (a taskset list such as "0"), in a child node pinned to those cores. */
export function runLoad(spec: LoadSpec | ({ loop: "wrk2" } & Wrk2Options), cpus?: string): Promise<LoadResult> {
    if (spec.loop === "wrk2") return runWrk2(spec, cpus);
    if (cpus === undefined) return runLoadHere(spec);
    return new Promise((resolve, reject) => {
        const child = spawn("taskset", ["-c", cpus, process.execPath, "-r", "tsx/cjs", CHILD], { stdio: ["pipe", "pipe", "pipe"], cwd: path.resolve(__dirname, "..", "..") });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (err = (err + c.toString("utf8")).slice(-4000)));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code !== 0) reject(new Error(`load generator (taskset -c ${cpus}) exited with ${code}: ${err}`));
            else resolve(JSON.parse(out) as LoadResult);
        });
        child.stdin.end(JSON.stringify(spec));
    });
}
