/** How the offline check prints violations: grouped by cause, so one stack change reads as one finding. */
import { PolicyViolation } from "./policy-engine";

/** One cause: the same policy, level and finding on one or more resources. */
export interface ViolationGroup {
    policyName: string;
    enforcementLevel: PolicyViolation["enforcementLevel"];
    /** The finding without the resource it was reported on (the whole message when only one resource has it). */
    message: string;
    urns: (string | undefined)[];
}

/** `type "name"` of a URN (urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>), as the policies' messages name a resource. */
export function resourceOf(urn: string): string {
    const [, , qualifiedType = "", ...name] = urn.split("::");
    return `${qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1)} "${name.join("::")}"`;
}

/**
 * Violations grouped by cause: one config change (a region, a residency) that every resource inherits is one
 * finding listing the resources, not one near-identical line per resource.
 */
export function groupViolations(violations: PolicyViolation[]): ViolationGroup[] {
    const groups = new Map<string, ViolationGroup & { first: string }>();
    for (const v of violations) {
        const resource = v.urn ? resourceOf(v.urn) : undefined;
        const cause = resource && v.message.startsWith(resource) ? v.message.slice(resource.length).replace(/^:? /, "") : undefined;
        const key = JSON.stringify([v.policyName, v.enforcementLevel, cause ?? v.message]);
        const group = groups.get(key);
        if (group) group.urns.push(v.urn);
        else groups.set(key, { policyName: v.policyName, enforcementLevel: v.enforcementLevel, message: cause ?? v.message, urns: [v.urn], first: v.message });
    }
    // A cause seen once reads best as the policy wrote it, resource first.
    return [...groups.values()].map(({ first, ...g }) => (g.urns.length === 1 ? { ...g, message: first } : g));
}
