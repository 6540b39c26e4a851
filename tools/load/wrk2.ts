// The open loop driven by wrk2 (github.com/giltene/wrk2, Apache-2.0), when the user has it: a C generator that sends
// on a constant-rate schedule and records each latency from the scheduled send (corrected for coordinated omission)
// in an HdrHistogram. One node process on one shared core cannot pace a few thousand requests per second to the
// millisecond (its own event loop runs late by a few ms at p99: docs/performance.md), so the node open loop
// (open-loop.ts) overstates the tail; wrk2 does not. It is not an npm package: build it and pass its path.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { wireBody } from "./closed-loop";
import { assertLoopback, type LoadResult } from "./load-result";
import type { OpenLoopOptions } from "./open-loop";
import type { LatencyPercentiles } from "./stats";

export interface Wrk2Options extends Omit<OpenLoopOptions, "bodies"> {
    bodies: readonly string[];
    /** Path of the wrk2 executable (its binary is called `wrk`). */
    binary: string;
}

/** What wrk2 printed, in the units the load tools use. */
export interface Wrk2Report {
    latencyMs: LatencyPercentiles;
    requests: number;
    durationSec: number;
    /** Answers outside 2xx/3xx ("Non-2xx or 3xx responses"). */
    non2xx: number;
    /** Connect, read, write errors and timeouts ("Socket errors"). */
    socketErrors: number;
}

/** A Lua string literal of any bytes: decimal escapes survive Lua's string syntax whatever the body holds. */
const luaString = (bytes: string | Buffer): string => `"${[...(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes)].map((b) => `\\${b}`).join("")}"`;

/** The wrk Lua script: POST, the headers, and the bodies in turn (one per request, as the node loops do). */
export function wrk2Script(bodies: readonly (string | Buffer)[], headers: Record<string, string>): string {
    if (bodies.length === 0) throw new RangeError("wrk2 needs at least one request body");
    return [
        'wrk.method = "POST"',
        ...Object.entries(headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`),
        `local bodies = { ${bodies.map(luaString).join(", ")} }`,
        "local i = 0",
        "request = function()",
        "  i = i % #bodies + 1",
        "  return wrk.format(nil, nil, nil, bodies[i])",
        "end",
        "",
    ].join("\n");
}

const TIME_UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function timeMs(value: string, unit: string, line: string): number {
    const scale = TIME_UNIT_MS[unit];
    if (scale === undefined) throw new Error(`wrk2 printed a time unit it was not expected to: ${line}`);
    return Number(value) * scale;
}

/** Reads `wrk --latency` output; throws, quoting it, when a figure the bench needs is missing. */
export function parseWrk2Output(text: string): Wrk2Report {
    const percentiles: Partial<Record<"50" | "90" | "99", number>> = {};
    // Only the recorded (coordinated-omission-corrected) distribution: the one printed first, before the spectrum.
    const recorded = text.split("Detailed Percentile spectrum")[0];
    for (const match of recorded.matchAll(/^\s*(50|90|99)\.000%\s+([\d.]+)(us|ms|s|m|h)\s*$/gm)) {
        percentiles[match[1] as "50" | "90" | "99"] = timeMs(match[2], match[3], match[0].trim());
    }
    const totals = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),/m.exec(text);
    if (percentiles["50"] === undefined || percentiles["90"] === undefined || percentiles["99"] === undefined || !totals) {
        throw new Error(`wrk2 output has no latency distribution or request total (was it run with --latency?):\n${text.slice(0, 2000)}`);
    }
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
    return {
        latencyMs: { p50: percentiles["50"], p90: percentiles["90"], p99: percentiles["99"] },
        requests: Number(totals[1]),
        durationSec: timeMs(totals[2], totals[3], totals[0].trim()) / 1000,
        non2xx: non2xx ? Number(non2xx[1]) : 0,
        socketErrors: socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
    };
}

/** wrk2's README: its calibration takes the first 10 s, so shorter runs say little. */
export const WRK2_MIN_DURATION_SEC = 10;

/** Runs wrk2 (pinned with taskset when `cpus` is given) at `ratePerSec` and returns what it measured. */
export async function runWrk2(options: Wrk2Options, cpus?: string): Promise<LoadResult> {
    assertLoopback(options.url);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrk2-"));
    const script = path.join(dir, "requests.lua");
    fs.writeFileSync(script, wrk2Script(options.bodies.map((b) => wireBody(b, options.bodyEncoding)), options.headers ?? { "content-type": "application/json" }));
    const duration = Math.max(WRK2_MIN_DURATION_SEC, Math.ceil(options.durationSec));
    const args = ["-t1", `-c${options.connections}`, `-d${duration}s`, `-R${Math.round(options.ratePerSec)}`, "--latency", "-s", script, new URL(options.path, options.url).toString()];
    try {
        const output = await new Promise<string>((resolve, reject) => {
            const child = cpus === undefined ? spawn(options.binary, args) : spawn("taskset", ["-c", cpus, options.binary, ...args]);
            let out = "";
            child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
            child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
            child.on("error", (error) => reject(new Error(`cannot run wrk2 at ${options.binary}: ${error.message}`)));
            child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk2 exited with ${code}: ${out.slice(0, 2000)}`))));
        });
        const report = parseWrk2Output(output);
        // wrk counts 2xx and 3xx alike (the service answers 200) and does not say which other statuses it saw, so
        // those answers count as errors beside the socket errors. Its percentiles stand in for the samples.
        return {
            statuses: { 200: report.requests - report.non2xx },
            okLatenciesMs: [],
            latencyMs: report.latencyMs,
            errors: report.non2xx + report.socketErrors,
            durationSec: report.durationSec,
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
