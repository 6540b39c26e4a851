// Child processes under test: spawning a server (or any node entry), waiting until it answers, stopping it.
import { spawn, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface HttpResult {
    status: number;
    body: string;
}

/** One request on a fresh connection (no agent): the cold-start probe must not reuse a socket. */
export function httpRequest(url: string, method: "GET" | "POST", body?: string): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
        const req = http.request(
            url,
            { method, agent: false, headers: body ? { "content-type": "application/json" } : {} },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}

/** A port the OS says is free right now; the child binds it a moment later (loopback only). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export interface SpawnedNode {
    child: ChildProcess;
    /** stderr so far (its tail), for error messages when the child dies. */
    stderr(): string;
    /** Resolves with the first stdout line that satisfies `match`, or rejects when the child exits first. */
    stdoutLine(match: (line: string) => boolean): Promise<string>;
    /** The same for stderr, where the start-up marks go. */
    stderrLine(match: (line: string) => boolean): Promise<string>;
    stop(): Promise<void>;
}

type LineWaiter = { match: (line: string) => boolean; resolve: (line: string) => void };

/** Splits a stream into lines and hands each to the first waiter it matches; lines no one waits for are dropped. */
function lineWaiters(stream: NodeJS.ReadableStream | null): LineWaiter[] {
    const waiters: LineWaiter[] = [];
    let partial = "";
    stream?.on("data", (c: Buffer) => {
        const lines = (partial + c.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
            const index = waiters.findIndex((w) => w.match(line));
            if (index >= 0) waiters.splice(index, 1)[0].resolve(line);
        }
    });
    return waiters;
}

/**
 * Starts `node [nodeArgs] [-r tsx/cjs] script` with `env` added to ours. TypeScript entries (bench helpers) load
 * through tsx's CommonJS hook, which stays in-thread; compiled service entries run on plain node. `cpus` (a
 * taskset list such as "1") pins the process, to stand in for a 1-vCPU instance or to keep it off the load
 * generator's core; taskset execs node, so the child's pid is node's.
 */
export function spawnNode(script: string, env: Record<string, string>, args: string[] = [], cpus?: string, nodeArgs: string[] = []): SpawnedNode {
    const allNodeArgs = [...nodeArgs, ...(script.endsWith(".ts") ? ["-r", "tsx/cjs"] : []), script, ...args];
    const [command, commandArgs] = cpus === undefined ? [process.execPath, allNodeArgs] : ["taskset", ["-c", cpus, process.execPath, ...allNodeArgs]];
    const child = spawn(command, commandArgs, {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString("utf8")).slice(-4000)));
    const stdoutWaiters = lineWaiters(child.stdout);
    const stderrWaiters = lineWaiters(child.stderr);
    // "close" (not "exit") so every line has been seen before a waiter is rejected.
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const waitFor = (waiters: LineWaiter[], match: (line: string) => boolean): Promise<string> =>
        new Promise((resolve, reject) => {
            waiters.push({ match, resolve });
            void exited.then(() => reject(new Error(`process exited with ${child.exitCode}: ${stderr}`)));
        });
    return {
        child,
        stderr: () => stderr,
        stdoutLine: (match) => waitFor(stdoutWaiters, match),
        stderrLine: (match) => waitFor(stderrWaiters, match),
        async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await exited;
        },
    };
}

/**
 * Sends `request` until it answers `expectStatus`, retrying while the port refuses connections. Polling is the
 * only way to see when a foreign process starts accepting; the 2 ms interval bounds the error of cold-start runs.
 */
export async function waitForStatus(
    proc: SpawnedNode,
    url: string,
    method: "GET" | "POST",
    body: string | undefined,
    timeoutMs: number,
    expectStatus = 200,
): Promise<HttpResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (proc.child.exitCode !== null) {
            throw new Error(`process exited with ${proc.child.exitCode} before answering ${url}: ${proc.stderr()}`);
        }
        try {
            const result = await httpRequest(url, method, body);
            if (result.status === expectStatus) return result;
            if (result.status !== 503) throw new Error(`${method} ${url} answered ${result.status}: ${result.body}`);
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code !== "ECONNREFUSED" && code !== "ECONNRESET") throw error;
        }
        if (Date.now() > deadline) throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs} ms`);
        await delay(2);
    }
}
