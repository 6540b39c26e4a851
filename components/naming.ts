import { createHash } from "node:crypto";

/**
 * Physical names, from one place. Names that share a namespace across stacks (registries, clusters, service
 * accounts, Cloud Run services) carry the stack; every name is cut to its API's limit, with a hash of the full name
 * in place of the cut so two long names stay different. plan/mocks.ts applies the same limits to what the program
 * renders, so a name an API would refuse fails the offline plan.
 */

/** Longest physical name each API accepts (the provider documentation's limits). */
export const NAME_LIMITS = {
    /** GKE cluster and node pool names. */
    gkeCluster: 40,
    gkeNodePool: 40,
    /** Cloud Run service names: fewer than 50 characters. */
    cloudRunService: 49,
    /** S3 bucketPrefix: the provider appends 26 characters to a 63-character bucket name. */
    s3BucketPrefix: 37,
    s3Bucket: 63,
    gcsBucket: 63,
    /** IAM role names. */
    iamRole: 64,
    /** GCP service account ids: 6–30 characters. */
    serviceAccountId: 30,
    lambdaFunction: 64,
    eksCluster: 100,
    ecrRepository: 256,
    artifactRegistryRepository: 63,
    /** Kubernetes object names that are DNS labels (Service, Namespace) and Helm release names. */
    dnsLabel: 63,
    helmRelease: 53,
    cloudSchedulerJob: 500,
} as const;

/**
 * The service name cloud resources are named after: the previous name after a rename (`renamedFrom`), so clusters,
 * registries, buckets and identities keep their names and nothing is replaced; Kubernetes objects take the new one.
 */
export function cloudName(service: { name: string; renamedFrom?: string }): string {
    return service.renamedFrom ?? service.name;
}

/** A stack name reduced to lowercase letters, digits and dashes. */
export function stackSlug(stack: string): string {
    return stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "stack";
}

/** Four hex digits of a text's SHA-256. */
function shortHash(text: string, length = 4): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * `parts` joined with dashes, lowercase, at most `limit` characters: when longer, cut and ended with a hash of the
 * full name, e.g. "property-valuation-prod-hybrid-overflow" (39) fits 40; a 45-character name becomes 35 + "-1a2b".
 */
export function physicalName(parts: readonly string[], limit: number): string {
    const full = parts.map((p) => p.toLowerCase().replace(/[^a-z0-9-]+/g, "-")).filter(Boolean).join("-").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
    if (full.length <= limit) return full;
    const hash = shortHash(full);
    return `${full.slice(0, limit - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** Registry repository or cluster name for a service in a stack, e.g. "property-valuation-prod-eu" (≤ 63 characters). */
export function stackScopedName(service: string, stack: string, limit: number = NAME_LIMITS.dnsLabel): string {
    return physicalName([service, stackSlug(stack)], limit);
}

/**
 * A GCP service account id (6–30 characters): the service name and role, plus four hex digits of the stack so
 * stacks sharing a project do not collide, e.g. "property-valuation-run-1a2b".
 */
export function serviceAccountId(service: string, role: string, stack: string): string {
    const hash = shortHash(stack);
    const head = `${service}-${role}`.slice(0, NAME_LIMITS.serviceAccountId - hash.length - 1).replace(/-+$/, "");
    return `${head}-${hash}`;
}

/** An S3 bucketPrefix that leaves room for the provider's unique suffix: "<service>-<purpose>-", ≤ 37 characters. */
export function bucketPrefix(service: string, purpose: string): string {
    return `${physicalName([service, purpose], NAME_LIMITS.s3BucketPrefix - 1)}-`;
}

/**
 * Kubernetes names that end up in cloud identity subjects (Workload Identity `ns/ksa`, Pod Identity associations):
 * a namespace and service account unique per stack, so two stacks in one project never share a subject. The
 * configured namespace is kept when the stack is the only one using it; the service account carries the stack.
 */
export function podServiceAccountName(service: string, stack: string): string {
    return stackScopedName(service, stack, NAME_LIMITS.dnsLabel);
}

/** Helm release name of a chart this stack installs, unique per stack in a shared cluster (≤ 53 characters). */
export function helmReleaseName(chart: string, stack: string): string {
    return physicalName([chart, stackSlug(stack)], NAME_LIMITS.helmRelease);
}
