import { hostname } from "node:os";
import type { DestinationStream, LevelWithSilent } from "pino";
import { type LogFormat, type LogLevel, readChoice, SERVICE_ENV } from "./contract";

/** Pino options as fastify's `logger` and pino() take them. */
export interface LoggerChoice {
    level: LevelWithSilent;
    stream?: DestinationStream;
}

/** JSON lines unless asked for pretty, or `auto` on an interactive terminal: production stays JSON. */
export function wantsPrettyLogs(format: LogFormat, interactive: boolean): boolean {
    return format === "pretty" || (format === "auto" && interactive);
}

/**
 * The service's logger settings. pino-pretty is required only when pretty output is chosen (and kept out of the
 * bundle), so the server's and Lambda's cold start never load it.
 */
export function loggerChoice(level: LogLevel, format: LogFormat, interactive = process.stdout.isTTY === true, destination: NodeJS.WritableStream | number = 1): LoggerChoice {
    if (!wantsPrettyLogs(format, interactive)) return { level };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require("pino-pretty") as typeof import("pino-pretty");
    return { level, stream: pretty({ colorize: interactive, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", destination }) };
}

/**
 * Pino options whose every line names the model and version this process serves (pino's `base`, keeping its pid
 * and hostname), so a canary's lines are told apart from the stable side's. A ready-made logger or `false` is
 * returned unchanged.
 */
export function withServedModel<T>(logger: T, served: { model: string; model_version: string }): T {
    if (logger === null || typeof logger !== "object" || typeof (logger as { child?: unknown }).child === "function") return logger;
    return { ...logger, base: { pid: process.pid, hostname: hostname(), ...served } };
}

/** For the boot logger, before the config is parsed: a bad LOG_FORMAT is reported by parseConfig, not here. */
export function bootLoggerChoice(env: NodeJS.ProcessEnv): LoggerChoice {
    return loggerChoice("info", readChoice(env, SERVICE_ENV.logFormat, []));
}
