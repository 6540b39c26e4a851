import { createHash } from "node:crypto";
import { CANARY_TAG } from "../../policies/platform/rollout";

/**
 * The canary on the serverless backends, as plain data: Cloud Run traffic blocks between two named revisions and
 * Lambda alias routing between two published versions.
 */

/** Cloud Run allocation types (cloudrunv2 Service `traffic[].type`). */
const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";

/** Tags of the two revisions: each is reachable at https://<tag>---<service host>. */
export const CLOUD_RUN_TAGS = { stable: "stable", canary: CANARY_TAG } as const;

/** One cloudrunv2 Service traffic target. */
export interface CloudRunTrafficTarget {
    type: typeof LATEST | typeof REVISION;
    percent: number;
    revision?: string;
    tag?: string;
}

/**
 * Cloud Run revision names are `<service>-<suffix>`, at most 63 characters, and immutable: a name reused with a
 * different template is refused (409). So the name is derived from the model version and a fingerprint of the
 * whole revision template: the same template always gets the same name, which is how a later `pulumi up` can
 * route traffic to the stable revision an earlier one created.
 */
export function cloudRunRevisionName(serviceName: string, modelVersion: string, templateFingerprint: string): string {
    const hash = templateFingerprint.slice(0, 8);
    const version = modelVersion.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "v";
    const room = 63 - serviceName.length - hash.length - 3; // "-m" before the version, "-" before the hash
    if (room < 1) throw new Error(`Cloud Run service name "${serviceName}" leaves no room for a revision suffix (63 characters in all)`);
    return `${serviceName}-m${version.slice(0, room).replace(/-+$/, "")}-${hash}`;
}

/** A stable fingerprint of a revision template (any JSON value): sha256 of its canonical JSON, hex. */
export function templateFingerprint(template: unknown): string {
    return createHash("sha256").update(canonicalJson(template)).digest("hex");
}

function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * Traffic of a Cloud Run service: without a canary, everything to the latest revision (stated explicitly, so a
 * rollback really removes an earlier split); with one, 100 − percent to the stable revision and percent to the
 * canary revision, both tagged. The stable revision must exist already: it is the one the previous `pulumi up`
 * created, which is why a canary is started without other changes to the service.
 */
export function cloudRunTraffic(canary?: { percent: number; stableRevision: string; canaryRevision: string }): CloudRunTrafficTarget[] {
    if (!canary) return [{ type: LATEST, percent: 100 }];
    return [
        { type: REVISION, revision: canary.stableRevision, percent: 100 - canary.percent, tag: CLOUD_RUN_TAGS.stable },
        { type: REVISION, revision: canary.canaryRevision, percent: canary.percent, tag: CLOUD_RUN_TAGS.canary },
    ];
}

/**
 * Routing of the Lambda alias `live`: the stable version takes the rest, the canary version `percent` / 100 of
 * the invocations (AWS takes a weight from 0 to 1 for one additional version). Without a canary, no routing.
 */
export function lambdaAliasRouting(canary?: { percent: number; canaryVersion: string }): { additionalVersionWeights: Record<string, number> } | undefined {
    if (!canary) return undefined;
    return { additionalVersionWeights: { [canary.canaryVersion]: canary.percent / 100 } };
}

/**
 * Provisioned concurrency of a weighted alias: configured once on `live`, Lambda allocates it to both versions by
 * their weights (the API's AllocatedProvisionedConcurrentExecutions follows the weights), so each side holds about
 * min × its weight warm environments; the canary holds none when min × weight rounds to 0 and then starts cold.
 * Not verified against AWS here (no account): the expected split, for docs and warnings.
 */
export function lambdaProvisionedShare(minReplicas: number, percent: number): { stable: number; canary: number } {
    const canary = Math.round((minReplicas * percent) / 100);
    return { stable: minReplicas - canary, canary };
}
