/**
 * Runs a policy pack's policies over a stack's resources with the analyzer's semantics, without the gRPC
 * server PolicyPack starts: per policy the configured enforcement level (disabled skips, remediate reports as
 * mandatory), resource policies once per resource and stack policies once over all resources, props wrapped in
 * @pulumi/policy's own unknown-checking proxy (a value unknown at preview downgrades that policy's result on
 * that resource to an advisory "can't run" note, as the engine does), notApplicable() recorded, not reported.
 */
import {
    EnforcementLevel, Policies, PolicyProviderResource, PolicyResource, PolicyResourceOptions, ReportViolation,
    ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy, UnknownValueError, unknownCheckingProxy,
} from "@pulumi/policy";
import { EffectivePolicyConfig } from "./policy-config";

/** One resource as the engine hands it to an analyzer: unknown values are Pulumi's unknown sentinel string. */
export interface PolicyInputResource {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent?: string;
    provider?: PolicyProviderResource;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface PolicyViolation {
    policyName: string;
    enforcementLevel: "advisory" | "mandatory";
    message: string;
    urn?: string;
}

export interface PolicyRunResult {
    violations: PolicyViolation[];
    notApplicable: { policyName: string; urn?: string; reason?: string }[];
}

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

function isResourcePolicy(policy: Policies[number]): policy is ResourceValidationPolicy {
    return "validateResource" in policy || "remediateResource" in policy;
}
function isStackPolicy(policy: Policies[number]): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/** The engine's isTypeOf: the class's attached Pulumi type token, else its isInstance. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token === "string" && token !== "") return token === type;
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(resource: PolicyInputResource): PolicyResourceOptions {
    return {
        protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

function proxiedProvider(provider: PolicyProviderResource | undefined): PolicyProviderResource | undefined {
    return provider && { ...provider, props: unknownCheckingProxy(provider.props) };
}

export interface RunPoliciesOptions {
    /** Name and version as the analyzer reports them ("can't run policy … from policy pack 'name@vX'"). */
    pack: { name: string; version: string };
    policies: Policies;
    config: Record<string, EffectivePolicyConfig>;
    resources: PolicyInputResource[];
    stackTags: ReadonlyMap<string, string>;
}

/** Runs every enabled policy; a policy that throws anything but an unknown value or notApplicable fails the run. */
export async function runPolicies(options: RunPoliciesOptions): Promise<PolicyRunResult> {
    const result: PolicyRunResult = { violations: [], notApplicable: [] };
    const levelOf = (name: string): EnforcementLevel => options.config[name]?.enforcementLevel ?? "advisory";
    const getConfigFor = (name: string) => <T extends object>() => ({ ...(options.config[name]?.properties ?? {}) }) as T;

    const guard = async (policyName: string, urn: string | undefined, run: () => unknown) => {
        try {
            await Promise.resolve(run());
        } catch (error) {
            if (error instanceof UnknownValueError) {
                const from = `policy '${policyName}' from policy pack '${options.pack.name}@v${options.pack.version}'`;
                result.violations.push({ policyName, enforcementLevel: "advisory", urn, message: `can't run ${from} during preview: ${(error as Error).message}` });
            } else if (error instanceof NotApplicable) {
                result.notApplicable.push({ policyName, urn, reason: error.reason });
            } else {
                throw new Error(`Error validating ${urn ?? "the stack"} with policy '${policyName}': ${(error as Error).stack ?? String(error)}`);
            }
        }
    };
    const reporter = (policyName: string, level: EnforcementLevel, defaultUrn?: string): ReportViolation => (message, urn) => {
        result.violations.push({ policyName, enforcementLevel: level === "advisory" ? "advisory" : "mandatory", message, urn: urn ?? defaultUrn });
    };

    for (const policy of options.policies) {
        const level = levelOf(policy.name);
        if (level === "disabled") continue;
        if (isResourcePolicy(policy)) {
            const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
            for (const resource of options.resources) {
                const props = unknownCheckingProxy(resource.props);
                const args: ResourceValidationArgs = {
                    type: resource.type, props, urn: resource.urn, name: resource.name, opts: optionsOf(resource),
                    stackTags: options.stackTags,
                    isType: (cls) => isTypeOf(resource.type, cls),
                    asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
                    getConfig: getConfigFor(policy.name),
                    notApplicable,
                    ...(resource.provider ? { provider: proxiedProvider(resource.provider) } : {}),
                };
                for (const validate of validations) {
                    await guard(policy.name, resource.urn, () => validate(args, reporter(policy.name, level, resource.urn)));
                }
            }
        }
        if (isStackPolicy(policy)) {
            const byUrn = new Map<string, PolicyResource>();
            const stackResources = options.resources.map((resource) => {
                const props = unknownCheckingProxy(resource.props);
                const entry: PolicyResource = {
                    type: resource.type, props, urn: resource.urn, name: resource.name, opts: optionsOf(resource),
                    dependencies: [], propertyDependencies: {},
                    isType: (cls) => isTypeOf(resource.type, cls),
                    asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? props : undefined)) as PolicyResource["asType"],
                    ...(resource.provider ? { provider: proxiedProvider(resource.provider) } : {}),
                };
                byUrn.set(resource.urn, entry);
                return entry;
            });
            options.resources.forEach((resource, i) => {
                const entry = stackResources[i];
                const lookup = (urns: string[]) => urns.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
                if (resource.parent && byUrn.has(resource.parent)) entry.parent = byUrn.get(resource.parent);
                entry.dependencies = lookup(resource.dependencies);
                entry.propertyDependencies = Object.fromEntries(Object.entries(resource.propertyDependencies).map(([k, urns]) => [k, lookup(urns)]));
            });
            await guard(policy.name, undefined, () => policy.validateStack({
                resources: stackResources, stackTags: options.stackTags, getConfig: getConfigFor(policy.name), notApplicable,
            }, reporter(policy.name, level)));
        }
    }
    return result;
}
