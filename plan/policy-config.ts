/**
 * Policy pack configuration the way the Pulumi engine handles `--policy-pack-config`: parse the JSON file
 * (a policy maps to an enforcement level string or to an object of properties with an optional
 * enforcementLevel; "all" sets every policy's level), start from each policy's configSchema defaults and
 * level, apply the file on top (shallowly, per property), then validate each policy's properties against
 * its schema. Validation uses ajv where the engine uses gojsonschema; both implement JSON Schema.
 */
import Ajv from "ajv";
import { EnforcementLevel, Policies } from "@pulumi/policy";
import { describeUnknownKey, unknownKeys } from "../policies/lib/config-keys";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface GivenPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface EffectivePolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

function enforcementLevelOf(policy: string, value: unknown): EnforcementLevel {
    if (typeof value !== "string" || !(ENFORCEMENT_LEVELS as readonly string[]).includes(value)) {
        throw new Error(`policy config "${policy}": ${JSON.stringify(value)} is not a valid enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}`);
    }
    return value as EnforcementLevel;
}

/** Parses the contents of a policy config file; throws with the policy name on a malformed entry. */
export function parsePolicyPackConfig(text: string): Record<string, GivenPolicyConfig> {
    if (text.trim() === "") return {};
    const json: unknown = JSON.parse(text);
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("policy config must be a JSON object keyed by policy name");
    const result: Record<string, GivenPolicyConfig> = {};
    for (const [policy, value] of Object.entries(json)) {
        if (typeof value === "string") {
            result[policy] = { enforcementLevel: enforcementLevelOf(policy, value), properties: {} };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            result[policy] = { enforcementLevel: enforcementLevel === undefined ? undefined : enforcementLevelOf(policy, enforcementLevel), properties };
        } else {
            throw new Error(`policy config "${policy}": ${JSON.stringify(value)} is not valid; must be a string or an object`);
        }
    }
    return result;
}

export interface ReconciledConfig {
    config: Record<string, EffectivePolicyConfig>;
    /**
     * Schema violations and unknown keys, one line per problem, prefixed with the policy name. The engine refuses
     * to run with a schema violation; an unknown setting the pack itself refuses when the policy runs; an
     * unknown policy name the engine ignores, so it is refused here before it silently does nothing.
     */
    errors: string[];
    /** Top-level keys that name no policy of the pack (each also in `errors`, with the nearest policy name). */
    unknownPolicies: string[];
}

/** Defaults, then the given config, then schema validation: the engine's ReconcilePolicyPackConfig, plus unknown keys refused. */
export function reconcilePolicyPackConfig(
    policies: Policies,
    packEnforcementLevel: EnforcementLevel | undefined,
    given: Record<string, GivenPolicyConfig>,
): ReconciledConfig {
    const config: Record<string, EffectivePolicyConfig> = {};
    for (const policy of policies) {
        const defaults = Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => schema.default !== undefined)
            .map(([key, schema]) => [key, structuredClone(schema.default)]);
        config[policy.name] = {
            enforcementLevel: policy.enforcementLevel ?? packEnforcementLevel ?? "advisory",
            properties: Object.fromEntries(defaults),
        };
    }
    const all = given.all?.enforcementLevel;
    if (all) for (const entry of Object.values(config)) entry.enforcementLevel = all;
    const unknownPolicies: string[] = [];
    const errors: string[] = [];
    const policyNames = policies.map((p) => p.name);
    for (const [name, entry] of Object.entries(given)) {
        if (name === "all") continue;
        const target = config[name];
        if (!target) {
            unknownPolicies.push(name);
            const [unknown] = unknownKeys([name], [...policyNames, "all"]);
            errors.push(describeUnknownKey("this pack", unknown, policyNames, "policy"));
            continue;
        }
        const known = Object.keys(policies.find((p) => p.name === name)?.configSchema?.properties ?? {});
        errors.push(...unknownKeys(Object.keys(entry.properties), known).map((u) => `${name}: ${describeUnknownKey(name, u, known)}`));
        if (entry.enforcementLevel) target.enforcementLevel = entry.enforcementLevel;
        Object.assign(target.properties, entry.properties);
    }
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const policy of policies) {
        if (!policy.configSchema) continue;
        const validate = ajv.compile({ type: "object", properties: policy.configSchema.properties, required: policy.configSchema.required ?? [] });
        if (!validate(config[policy.name].properties)) {
            for (const error of validate.errors ?? []) {
                errors.push(`${policy.name}: ${error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, ".")} ` : ""}${error.message ?? "is invalid"}${error.params && "allowedValues" in error.params ? ` (${(error.params.allowedValues as unknown[]).join(", ")})` : ""}`);
            }
        }
    }
    return { config, errors, unknownPolicies };
}
