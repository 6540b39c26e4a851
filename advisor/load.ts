/** Reading and validating the advisor's three inputs. Every problem becomes an InputError naming the field and the rule. */
import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject } from "ajv";
import benchSchema from "./schemas/bench-results.schema.json";
import pricesSchema from "./schemas/prices.schema.json";
import profileSchema from "./schemas/profile.schema.json";
import { isTimeZone } from "../components/schedule/spec";
import type { BenchResults } from "./facts";
import type { PriceTable, TrafficProfile } from "./types";

/** A problem with what the user gave us; the CLI prints its message without a stack trace. */
export class InputError extends Error {}

const ajv = new Ajv({ allErrors: true });
const validators = {
    profile: ajv.compile<TrafficProfile>(profileSchema),
    "benchmark results": ajv.compile<BenchResults>(benchSchema),
    "price table": ajv.compile<PriceTable>(pricesSchema),
};

/** "/rps_by_hour/3" → "rps_by_hour[3]"; the root is "(top level)". */
function fieldName(instancePath: string, extra?: string): string {
    const segments = instancePath.split("/").slice(1);
    if (extra) segments.push(extra);
    if (segments.length === 0) return "(top level)";
    return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function describe(error: ErrorObject): string {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === "required") return `${fieldName(error.instancePath, String(params.missingProperty))} is required`;
    if (error.keyword === "additionalProperties") return `${fieldName(error.instancePath, String(params.additionalProperty))} is not a known field`;
    if (error.keyword === "contains") return `${fieldName(error.instancePath)} must contain a predict-single case`;
    return `${fieldName(error.instancePath)} ${error.message ?? "is invalid"}`;
}

function readJson(kind: string, file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(code === "ENOENT" ? `${kind} file not found: ${file}` : `cannot read ${kind} file ${file}: ${code}`);
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new InputError(`${kind} ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

function checked<T>(kind: keyof typeof validators, file: string, check: (data: unknown) => data is T, data: unknown): T {
    if (!check(data)) {
        const errors = validators[kind].errors ?? [];
        throw new InputError(`${kind} ${file}: ${[...new Set(errors.map(describe))].join("; ")}`);
    }
    return data;
}

export function loadPrices(file: string): PriceTable {
    return checked("price table", file, validators["price table"], readJson("price table", file));
}

export function loadBench(file: string): BenchResults {
    return checked("benchmark results", file, validators["benchmark results"], readJson("benchmark results", file));
}

/** A profile must also name regions the price table has and, if given, a real IANA time zone. */
export function loadProfile(file: string, prices: PriceTable): TrafficProfile {
    const profile = checked("profile", file, validators.profile, readJson("profile", file));
    const problems: string[] = [];
    for (const cloud of ["aws", "gcp"] as const) {
        const region = profile.region[cloud];
        if (region !== undefined && !(region in prices[cloud])) {
            problems.push(`region.${cloud} "${region}" has no prices in the price table (it has: ${Object.keys(prices[cloud]).join(", ")})`);
        }
    }
    if (profile.time_zone !== undefined && !isTimeZone(profile.time_zone)) {
        problems.push(`time_zone "${profile.time_zone}" is not an IANA time zone`);
    }
    if (problems.length > 0) throw new InputError(`profile ${file}: ${problems.join("; ")}`);
    return profile;
}
