import { createHash } from "node:crypto";

/**
 * Names of resources that share a namespace across stacks (ECR and Artifact Registry repositories, GCP service
 * accounts): dev and prod-aws may share an account and region, so these names carry the stack.
 */

/** A stack name reduced to lowercase letters, digits and dashes. */
export function stackSlug(stack: string): string {
    return stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "stack";
}

/** Registry repository or cluster name for a service in a stack, e.g. "property-valuation-prod-eu" (≤ 63 characters). */
export function stackScopedName(service: string, stack: string): string {
    return `${service}-${stackSlug(stack)}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * A GCP service account id (6–30 characters): the service name and role, plus four hex digits of the stack so
 * stacks sharing a project do not collide, e.g. "property-valuation-run-1a2b".
 */
export function serviceAccountId(service: string, role: string, stack: string): string {
    const hash = createHash("sha256").update(stack).digest("hex").slice(0, 4);
    const head = `${service}-${role}`.slice(0, 30 - hash.length - 1).replace(/-+$/, "");
    return `${head}-${hash}`;
}
