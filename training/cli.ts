import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { DataError } from "./csv";

/** Bad command-line input: printed with the usage text, exit code 2, no stack trace. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs in strict mode, with its errors turned into UsageErrors that name the flag. */
export function parseCliArgs<T extends Options>(argv: string[], options: T) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
    } catch (err) {
        throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
    }
}

export function requireFlag(name: string, value: string | undefined): string {
    if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
    return value;
}

export function integerFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
        throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return n;
}

export function choiceFlag<C extends string>(name: string, value: string | undefined, choices: readonly C[], fallback: C): C {
    if (value === undefined) return fallback;
    if (!(choices as readonly string[]).includes(value)) {
        throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${value}"`);
    }
    return value as C;
}

/** Runs a CLI entry point: expected failures print one clear line (plus usage for flag errors). */
export function runCli(name: string, usage: string, main: (argv: string[]) => Promise<void>): void {
    main(process.argv.slice(2)).catch((err: unknown) => {
        if (err instanceof UsageError) {
            console.error(`${name}: ${err.message}\n\n${usage}`);
            process.exitCode = 2;
        } else if (err instanceof DataError) {
            console.error(`${name}: ${err.message}`);
            process.exitCode = 2;
        } else {
            console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
            process.exitCode = 1;
        }
    });
}
