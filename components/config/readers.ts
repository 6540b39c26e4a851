import { CONFIG_KEYS, type ConfigKey } from "./keys";

/** The project's config namespace: keys are `model-serving:<name>`. */
export const PROJECT = "model-serving";

/** Records one problem: the fully-qualified key, its value and why it is refused. */
export type ProblemSink = (key: string, value: unknown, why: string) => void;

/**
 * Typed reads of one stack's `model-serving:*` keys, each falling back to the key's declared default and reporting
 * a value the key itself cannot take (wrong type, out of range, not one of the allowed values) to the sink.
 */
export interface Readers {
    /** The value as set in the stack, undefined when unset. */
    raw(name: string): string | undefined;
    str(name: string): string;
    int(name: string, min: number, max: number): number;
    bool(name: string): boolean;
    oneOf<T extends string>(name: string, allowed: readonly T[]): T;
    list(name: string): string[];
    matching(name: string, pattern: RegExp, what: string): string;
    problem: ProblemSink;
}

const KNOWN = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

/** Readers over `config` (fully-qualified keys, values as Pulumi passes them: strings, arrays JSON-encoded). */
export function readersOf(config: Record<string, string>, problem: ProblemSink): Readers {
    const raw = (name: string): string | undefined => config[`${PROJECT}:${name}`];
    const str = (name: string): string => raw(name) ?? String(KNOWN.get(name)!.default ?? "");
    const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
        const value = str(name);
        if (!(allowed as readonly string[]).includes(value)) problem(`${PROJECT}:${name}`, value, `is not one of ${allowed.join(", ")}`);
        return value as T;
    };
    const int = (name: string, min: number, max: number): number => {
        const text = str(name);
        const value = Number(text);
        if (!/^-?\d+$/.test(text) || value < min || value > max) {
            problem(`${PROJECT}:${name}`, text, `is not a whole number from ${min} to ${max}`);
        }
        return value;
    };
    const bool = (name: string): boolean => oneOf(name, ["true", "false"]) === "true";
    const list = (name: string): string[] => {
        const text = raw(name);
        if (text === undefined) return KNOWN.get(name)!.default as string[];
        try {
            const parsed: unknown = JSON.parse(text);
            if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
        } catch {
            // reported below
        }
        problem(`${PROJECT}:${name}`, text, "is not a list of strings");
        return [];
    };
    const matching = (name: string, pattern: RegExp, what: string): string => {
        const value = str(name);
        if (!pattern.test(value)) problem(`${PROJECT}:${name}`, value, `is not ${what}`);
        return value;
    };
    return { raw, str, int, bool, oneOf, list, matching, problem };
}

/** Pulumi injects Pulumi.yaml defaults into every stack, so a key equal to its default counts as unset. */
export function sameAsDefault(key: ConfigKey, value: string): boolean {
    if (key.default === undefined) return false;
    return Array.isArray(key.default) ? value === JSON.stringify(key.default) : value === String(key.default);
}

/** The keys a stack sets to something other than their default, with their values. */
export function setKeys(config: Record<string, string>): Map<string, string> {
    const set = new Map<string, string>();
    for (const key of CONFIG_KEYS) {
        const value = config[`${PROJECT}:${key.name}`];
        if (value !== undefined && !sameAsDefault(key, value)) set.set(key.name, value);
    }
    return set;
}
