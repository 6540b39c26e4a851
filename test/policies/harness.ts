import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { PolicyProviderResource } from "@pulumi/policy";
import { packEnforcementLevel, packName, packVersion, policies } from "../../policies/pack";
import { GivenPolicyConfig, reconcilePolicyPackConfig } from "../../plan/policy-config";
import { PolicyInputResource, PolicyRunResult, runPolicies } from "../../plan/policy-engine";

/** Pulumi's marker for a value unknown at preview, as the engine sends it to analyzers. */
export const UNKNOWN = unknownValue;

export function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<PolicyInputResource> = {}): PolicyInputResource {
    return { urn: `urn:pulumi:test::model-serving::${type}::${name}`, type, name, props, dependencies: [], propertyDependencies: {}, ...extra };
}

export function provider(type: "aws" | "gcp", props: Record<string, unknown>): PolicyProviderResource {
    return { type: `pulumi:providers:${type}`, name: "default", urn: `urn:pulumi:test::model-serving::pulumi:providers:${type}::default`, props };
}

/** Runs the whole pack over hand-written resources with the given per-policy config, as the engine would. */
export async function check(resources: PolicyInputResource[], config: Record<string, Record<string, unknown>> = {}): Promise<PolicyRunResult> {
    const given: Record<string, GivenPolicyConfig> = Object.fromEntries(Object.entries(config).map(([name, { enforcementLevel, ...properties }]) =>
        [name, { enforcementLevel: enforcementLevel as GivenPolicyConfig["enforcementLevel"], properties }]));
    const reconciled = reconcilePolicyPackConfig(policies, packEnforcementLevel, given);
    if (reconciled.errors.length > 0) throw new Error(reconciled.errors.join("\n"));
    return runPolicies({ pack: { name: packName, version: packVersion }, policies, config: reconciled.config, resources, stackTags: new Map() });
}

/** The messages one policy reported. */
export function messagesOf(result: PolicyRunResult, policyName: string): string[] {
    return result.violations.filter((v) => v.policyName === policyName).map((v) => v.message);
}
