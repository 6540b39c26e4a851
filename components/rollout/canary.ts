import type { ServiceSpec } from "../spec";

/**
 * A canary: a second model version served beside the stable one, taking `percent` of the traffic. Promotion and
 * rollback are config changes, never code: promotion sets modelVersion to the canary's and removes the canary
 * keys; rollback removes the canary keys. Both are plain `pulumi up`s (docs/rollout.md).
 */
export interface CanarySpec {
    /** Model version the canary serves (model-serving:canaryModelVersion). */
    version: string;
    /** Share of requests, 1–99 (model-serving:canaryPercent). */
    percent: number;
}

/** canaryPercent's range: 0 and 100 are "no canary" and "promote", which are spelt by removing the keys. */
export const CANARY_PERCENT = { min: 1, max: 99 } as const;

/** The stack-config keys a canary is made of; removing them is the rollback. */
export const CANARY_KEYS = ["model-serving:canaryModelVersion", "model-serving:canaryPercent"] as const;

/**
 * The canary side's service spec: the stable spec with the canary's model version (and, for a bucket-sourced model,
 * its bucket prefix). Everything else (image, size, env, exposure) is shared so the comparison is of models only.
 */
export function canaryServiceSpec(service: ServiceSpec, canary: CanarySpec): ServiceSpec {
    const artifact = service.model.artifact.source === "bucket"
        ? { source: "bucket" as const, prefix: `${service.model.name}/${canary.version}/` }
        : service.model.artifact;
    return { ...service, model: { ...service.model, version: canary.version, artifact } };
}

/** Replica bounds of one side of a Kubernetes split. */
export interface ReplicaBounds {
    min: number;
    max: number;
}

/** The stable and canary Deployments' HPA bounds. */
export interface ReplicaSplit {
    stable: ReplicaBounds;
    canary: ReplicaBounds;
}

/**
 * Splits the service's replica bounds between a stable and a canary Deployment in proportion to `percent`, each
 * side keeping at least one pod (an HPA cannot go below one) and each side's max at least its min.
 *
 * Precision: with both Deployments behind one Service, kube-proxy spreads connections evenly over ready pods, so
 * the canary's real share is canaryPods / allPods, not `percent`: at minReplicas 3 and 10% it is 1 of 3 pods (33%), at
 * minReplicas 1 one pod each (50%); it reaches the percent only where the pod counts allow it (2 of 20 at 10%). The two HPAs also scale
 * independently, and long-lived keep-alive connections stick to one pod. Use a Gateway (model-serving:gatewayName)
 * for exact request weights.
 */
export function replicaSplit(scaling: ReplicaBounds, percent: number): ReplicaSplit {
    const share = percent / 100;
    const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
    // Halves go to the stable side: the canary is the one at risk.
    const canaryCount = (total: number) => Math.ceil(total * share - 0.5);
    const minTotal = Math.max(1, scaling.min);
    // One pod each at the least: with a floor of 1 the two sides together run 2.
    const canaryMin = minTotal === 1 ? 1 : clamp(canaryCount(minTotal), 1, minTotal - 1);
    const stableMin = Math.max(1, minTotal - canaryMin);
    const maxTotal = Math.max(scaling.max, stableMin + canaryMin);
    const canaryMax = clamp(canaryCount(maxTotal), canaryMin, maxTotal - stableMin);
    return { stable: { min: stableMin, max: maxTotal - canaryMax }, canary: { min: canaryMin, max: canaryMax } };
}

/** The canary's share of pods, in percent, when both sides sit at their minimum and at their maximum. */
export function replicaShare(split: ReplicaSplit): { atMin: number; atMax: number } {
    const share = (canary: number, stable: number) => Math.round((1000 * canary) / (canary + stable)) / 10;
    return { atMin: share(split.canary.min, split.stable.min), atMax: share(split.canary.max, split.stable.max) };
}

/**
 * The stack config after promoting the canary: modelVersion becomes the canary's and the canary keys go.
 * `config` holds fully-qualified keys as Pulumi passes them.
 */
export function promotedConfig(config: Record<string, string>): Record<string, string> {
    const version = config["model-serving:canaryModelVersion"];
    if (version === undefined) throw new Error("no canary to promote: model-serving:canaryModelVersion is not set");
    return { ...withoutCanary(config), "model-serving:modelVersion": version };
}

/** The stack config after a rollback: the canary keys removed, the stable version untouched. */
export function rolledBackConfig(config: Record<string, string>): Record<string, string> {
    return withoutCanary(config);
}

function withoutCanary(config: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).filter(([key]) => !(CANARY_KEYS as readonly string[]).includes(key)));
}

/** The `pulumi config` commands of a promotion, then `pulumi up` (what docs/rollout.md shows). */
export function promotionCommands(canaryVersion: string): string[] {
    return [`pulumi config set model-serving:modelVersion ${canaryVersion}`, ...rollbackCommands().slice(0, -1), "pulumi up"];
}

/** The `pulumi config` commands of a rollback, then `pulumi up`. */
export function rollbackCommands(): string[] {
    return [...CANARY_KEYS.map((key) => `pulumi config rm ${key}`), "pulumi up"];
}
