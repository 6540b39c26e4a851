// The real server (services/inference/src/server.ts under tsx, so tests need no build) as a child process, its
// JSON log lines observable: the end-to-end tests and the soak and overload scripts start servers through it.
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

const SERVER_TS = path.resolve(__dirname, "..", "..", "services", "inference", "src", "server.ts");

export type LogLine = Record<string, unknown> & { msg?: string };

/** The real server as a child process, its JSON log lines observable as events. */
export class ServerProcess {
    readonly logs: LogLine[] = [];
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    private readonly waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
    url = "";

    private readonly lines: readline.Interface;

    private constructor(readonly child: ChildProcess) {
        const lines = readline.createInterface({ input: child.stdout! });
        this.lines = lines;
        lines.on("line", (text) => {
            let line: LogLine;
            try {
                line = JSON.parse(text);
            } catch {
                line = { msg: text };
            }
            this.logs.push(line);
            for (const waiter of [...this.waiters]) {
                if (waiter.match(line)) {
                    this.waiters.splice(this.waiters.indexOf(waiter), 1);
                    waiter.resolve(line);
                }
            }
        });
        child.stderr!.on("data", (chunk) => this.logs.push({ msg: String(chunk), stderr: true }));
        this.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    }

    /**
     * Spawns `server.ts` under tsx (so tests need no build) on a free loopback port. The event-loop guard
     * is off unless `env` sets it: on a busy shared machine it would turn requests into 503s at random.
     * `cpus` (a taskset list) pins the server, e.g. away from a load generator.
     */
    static spawn(env: Record<string, string>, cpus?: string): ServerProcess {
        const nodeArgs = ["--import", "tsx", SERVER_TS];
        const [command, args] = cpus === undefined ? [process.execPath, nodeArgs] : ["taskset", ["-c", cpus, process.execPath, ...nodeArgs]];
        const child = spawn(command, args, {
            env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", MAX_EVENT_LOOP_DELAY_MS: "0", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        return new ServerProcess(child);
    }

    /** Spawns and resolves once the model is loaded and the server ready. */
    static async start(env: Record<string, string>, cpus?: string): Promise<ServerProcess> {
        const server = ServerProcess.spawn(env, cpus);
        const listening = server.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("Server listening at"));
        const outcome = await Promise.race([
            Promise.all([listening, server.waitForLog((l) => l.msg === "model loaded and warmed; ready")]),
            server.exited.then(({ code }) => {
                throw new Error(`server exited with ${code} before it was ready: ${JSON.stringify(server.logs)}`);
            }),
        ]);
        server.url = String(outcome[0].msg).replace("Server listening at ", "");
        return server;
    }

    /** Resolves with the first log line (already seen or future) that matches. */
    waitForLog(match: (line: LogLine) => boolean): Promise<LogLine> {
        const seen = this.logs.find(match);
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve) => this.waiters.push({ match, resolve }));
    }

    /**
     * Stops parsing the child's log lines but keeps draining its stdout: under load, JSON-parsing thousands
     * of lines a second would slow the load generator in this same process and distort its latencies.
     */
    ignoreLogs(): void {
        this.lines.close();
        this.child.stdout!.on("data", () => undefined).resume();
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
        await this.exited;
    }
}
