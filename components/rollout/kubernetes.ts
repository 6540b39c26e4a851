import type * as k8s from "@pulumi/kubernetes";
import { CANARY_SUFFIX } from "../../policies/platform/rollout";
import type { ReplicaBounds } from "./canary";

/**
 * The canary on Kubernetes as plain specs: a second Deployment (and HPA) beside the stable one, both behind the
 * one Service, or, when the stack names a Gateway, behind an HTTPRoute with exact request weights.
 *
 * Labels: the stable Deployment's selector ({app.kubernetes.io/name: <service>}) is immutable, so the canary's
 * pods must not match it, or the stable HPA would average their load into its own. Canary pods are named
 * <service>-canary; every pod of the service, either side, carries app.kubernetes.io/instance: <service>, which
 * the Service, PodDisruptionBudget and NetworkPolicy select.
 */

/** Label every pod of the service carries, stable or canary: what the one Service selects. */
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
/** Which side of a canary a pod is on; the Gateway's per-side Services select it. */
export const TRACK_LABEL = "model-serving/track";

export type Track = "stable" | "canary";

/** Name of one side's Deployment, HPA and (with a Gateway) Service: the stable side keeps the service's name. */
export function trackName(serviceName: string, track: Track): string {
    return track === "stable" ? serviceName : `${serviceName}${CANARY_SUFFIX}`;
}

/** Selector of the pods of every side: the Service's, the PDB's and the NetworkPolicy's. */
export function instanceSelector(serviceName: string): Record<string, string> {
    return { [INSTANCE_LABEL]: serviceName };
}

/**
 * The canary Deployment from the stable one's spec rendered for the canary's service spec (its model version and
 * environment): its own selector and pod labels, topology spread over its own pods, replicas left to its HPA.
 */
export function canaryDeploymentSpec(spec: k8s.types.input.apps.v1.DeploymentSpec, serviceName: string): k8s.types.input.apps.v1.DeploymentSpec {
    const name = trackName(serviceName, "canary");
    const selector = { "app.kubernetes.io/name": name };
    const template = spec.template as k8s.types.input.core.v1.PodTemplateSpec;
    const metadata = (template.metadata ?? {}) as k8s.types.input.meta.v1.ObjectMeta;
    const podSpec = template.spec as k8s.types.input.core.v1.PodSpec;
    const spread = (podSpec.topologySpreadConstraints ?? []) as k8s.types.input.core.v1.TopologySpreadConstraint[];
    return {
        ...spec,
        selector: { matchLabels: selector },
        template: {
            ...template,
            metadata: { ...metadata, labels: { ...(metadata.labels as Record<string, string>), ...selector, ...trackLabels(serviceName, "canary") } },
            spec: { ...podSpec, topologySpreadConstraints: spread.map((constraint) => ({ ...constraint, labelSelector: { matchLabels: selector } })) },
        },
    };
}

/** Labels both sides' pods carry besides their own selector. */
export function trackLabels(serviceName: string, track: Track): Record<string, string> {
    return { ...instanceSelector(serviceName), [TRACK_LABEL]: track };
}

/** One side's HPA: the service's autoscaler spec pointed at that side's Deployment, with that side's bounds. */
export function trackAutoscalerSpec(
    spec: k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec, serviceName: string, track: Track, bounds: ReplicaBounds,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    return {
        ...spec,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: trackName(serviceName, track) },
        minReplicas: bounds.min,
        maxReplicas: bounds.max,
    };
}

/** A Gateway an HTTPRoute attaches to, as model-serving:gatewayName names it ("namespace/name" or "name"). */
export interface GatewayRef {
    name: string;
    namespace?: string;
}

/** Parses "namespace/name" or "name"; undefined when it is neither (the config parser reports it). */
export function parseGatewayRef(text: string): GatewayRef | undefined {
    const label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    const match = new RegExp(`^(?:(${label})/)?(${label})$`).exec(text);
    if (!match) return undefined;
    return match[1] ? { namespace: match[1], name: match[3] } : { name: match[3] };
}

/** Gateway API HTTPRoute (gateway.networking.k8s.io/v1) spec: one rule, weighted backends. */
export interface HttpRouteSpec {
    parentRefs: Array<{ group: "gateway.networking.k8s.io"; kind: "Gateway"; name: string; namespace?: string }>;
    rules: Array<{ backendRefs: Array<{ name: string; port: number; weight: number }> }>;
}

/**
 * The HTTPRoute of a service behind a Gateway: all requests to the one Service without a canary; with one, exact
 * request weights (100 − percent, percent) to the stable and canary sides' own Services, whatever their pod counts.
 */
export function httpRouteSpec(gateway: GatewayRef, serviceName: string, port: number, canaryPercent?: number): HttpRouteSpec {
    const parentRefs = [{ group: "gateway.networking.k8s.io" as const, kind: "Gateway" as const, name: gateway.name, ...(gateway.namespace ? { namespace: gateway.namespace } : {}) }];
    const backendRefs = canaryPercent === undefined
        ? [{ name: serviceName, port, weight: 100 }]
        : [
            { name: trackServiceName(serviceName, "stable"), port, weight: 100 - canaryPercent },
            { name: trackServiceName(serviceName, "canary"), port, weight: canaryPercent },
        ];
    return { parentRefs, rules: [{ backendRefs }] };
}

/** Name of one side's own Service behind a Gateway (the one Service keeps the service's name). */
export function trackServiceName(serviceName: string, track: Track): string {
    return track === "stable" ? `${serviceName}-stable` : trackName(serviceName, "canary");
}

/** Selector of one side's own Service behind a Gateway. */
export function trackSelector(serviceName: string, track: Track): Record<string, string> {
    return trackLabels(serviceName, track);
}
