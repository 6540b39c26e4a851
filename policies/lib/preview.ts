import { ResourceValidationPolicy } from "@pulumi/policy";

/**
 * Values unknown at preview, per resource: which policies could not check which properties. Policies note them
 * through `forTypes`; `preview-unknowns`, the last resource policy of the pack, reports them once per resource.
 * Both the analyzer (all policies for one resource per Analyze call, in pack order) and the offline runner
 * (every resource for one policy, in pack order) run it after every other resource policy.
 */
const pending = new Map<string, Map<string, Set<string>>>();

export function notePreviewUnknown(urn: string, policyName: string, path: string): void {
    const byPath = pending.get(urn) ?? new Map<string, Set<string>>();
    pending.set(urn, byPath);
    const policies = byPath.get(path) ?? new Set<string>();
    byPath.set(path, policies.add(policyName));
}

/** The notes of one resource, removed as they are read. */
export function takePreviewUnknowns(urn: string): { path: string; policies: string[] }[] {
    const byPath = pending.get(urn);
    pending.delete(urn);
    return [...(byPath?.entries() ?? [])].map(([path, policies]) => ({ path, policies: [...policies] }));
}

export const previewUnknowns: ResourceValidationPolicy = {
    name: "preview-unknowns",
    description: "Says once per resource which properties are unknown at preview and which policies therefore check them only on resolved values (the PR's --resolved check, pulumi up).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        const notes = takePreviewUnknowns(args.urn);
        if (notes.length === 0) return args.notApplicable("every property the policies read is known");
        const list = notes.map((n) => `${n.path || "a property"} (${n.policies.join(", ")})`).join("; ");
        reportViolation(`${args.type} "${args.name}": unknown at preview, so checked only on resolved values: ${list}. ` +
            "The PR workflow's `npm run policy:check -- --resolved` and `pulumi up` (before the resource is created) enforce these policies; a violation there stops the merge or the update.");
    },
};
