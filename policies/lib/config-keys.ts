import { Policies, PolicyConfigSchema, ResourceValidation } from "@pulumi/policy";
import { closest, distance } from "fastest-levenshtein";

/** A key of `given` the schema does not declare, with the nearest declared key when one is close enough to be a typo. */
export interface UnknownKey { key: string; nearest?: string }

export function unknownKeys(given: readonly string[], known: readonly string[]): UnknownKey[] {
    return given.filter((key) => !known.includes(key)).map((key) => {
        const nearest = known.length > 0 ? closest(key, [...known]) : undefined;
        // A typo changes a few characters; anything farther is a different word, not a suggestion.
        const close = nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3));
        return close ? { key, nearest } : { key };
    });
}

/** `"allowedRegion" is not a setting of data-residency; did you mean "allowedRegions"?` */
export function describeUnknownKey(owner: string, unknown: UnknownKey, known: readonly string[], what = "setting"): string {
    const hint = unknown.nearest ? `did you mean "${unknown.nearest}"?` : `known: ${known.length > 0 ? known.join(", ") : "none"}`;
    return `"${unknown.key}" is not a ${what} of ${owner}; ${hint}`;
}

/** Refuses a policy config that names keys its schema does not declare (the engine does not: no additionalProperties). */
export class PolicyConfigKeyError extends Error {}

function checkKeys(name: string, schema: PolicyConfigSchema | undefined, config: object): void {
    const known = Object.keys(schema?.properties ?? {});
    const problems = unknownKeys(Object.keys(config), known).map((u) => describeUnknownKey(name, u, known));
    if (problems.length > 0) throw new PolicyConfigKeyError(`policy config: ${problems.join("; ")}`);
}

/**
 * The policy with its config keys checked before every run: a typo such as `allowedRegion` would otherwise be
 * accepted by the engine and silently leave the check it meant to tighten at its default. The error fails the
 * preview (the analyzer turns it into an error naming the policy), which is what a broken gate should do.
 */
export function withStrictConfig(policy: Policies[number]): Policies[number] {
    const check = (config: object) => checkKeys(policy.name, policy.configSchema, config);
    if ("validateStack" in policy) {
        const validate = policy.validateStack;
        return { ...policy, validateStack: (args, report) => { check(args.getConfig()); return validate(args, report); } };
    }
    const wrap = (validate: ResourceValidation): ResourceValidation => (args, report) => { check(args.getConfig()); return validate(args, report); };
    const validations = policy.validateResource;
    if (validations === undefined) return policy;
    return { ...policy, validateResource: Array.isArray(validations) ? validations.map(wrap) : wrap(validations) };
}
