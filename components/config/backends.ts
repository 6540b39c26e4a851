import type { Backend, BaselinePlatform, HybridPlatform, OverflowPlatform, Platform, ServiceSpec } from "../spec";
import { key, type Finding } from "./findings";
import { CONFIG_KEYS } from "./keys";
import { parseCloudRun, parseEks, parseGke, parseLambda, type Location } from "./platforms";
import type { Readers } from "./readers";
import { cloudRunFindings, eksFindings, gkeFindings, lambdaFindings, residencyFindings, serviceFindings } from "./rules";

/**
 * The backend table: what the config layer knows about each backend. Adding a backend is one entry here, its
 * Platform variant in spec.ts, its keys' `backends` in keys.ts and its render module (components/backends/).
 */
export interface BackendEntry<B extends Backend> {
    /** The cloud it runs on; a hybrid stack runs on its baseline's. */
    cloud: "aws" | "gcp" | "of-baseline";
    /** Its platform settings, from its keys. */
    parse(r: Readers, at: Location & { hybridBaseline: BaselinePlatform["backend"] }): Extract<Platform, { backend: B }>;
    /** Keys the backend lists that this configuration of it still does not use (e.g. node keys on Autopilot), with why. */
    idleKeys(platform: Extract<Platform, { backend: B }>): Record<string, string>;
    /** The rules its validated spec must pass (besides the cloud-independent ones). */
    findings(service: ServiceSpec, platform: Extract<Platform, { backend: B }>): Finding[];
}

/** The serverless overflow next to each hybrid baseline: the same cloud, so the pods' identity can be granted the invoke. */
export const HYBRID_OVERFLOW = { eks: "lambda", gke: "cloudrun" } as const;

const NEW_CLUSTER_ONLY = "an existing cluster is used (kubeconfig / clusterStackReference)";
const NODE_KEYS = ["nodeInstanceShape", "nodeMin", "nodeMax"];

export const BACKEND_TABLE: { [B in Backend]: BackendEntry<B> } = {
    eks: {
        cloud: "aws",
        parse: parseEks,
        idleKeys: (p) => (p.kubernetes.cluster.kind === "new" ? {}
            : Object.fromEntries(["nodeInstanceType", ...NODE_KEYS, "clusterAdminRoles", "kubeconfigProfile", "kubeconfigRoleArn"].map((k) => [k, NEW_CLUSTER_ONLY]))),
        findings: eksFindings,
    },
    gke: {
        cloud: "gcp",
        parse: parseGke,
        idleKeys: (p) => (p.kubernetes.cluster.kind !== "new" ? Object.fromEntries(["gkeMode", "nodeMachineType", ...NODE_KEYS].map((k) => [k, NEW_CLUSTER_ONLY]))
            : p.gkeMode === "autopilot" ? Object.fromEntries(["nodeMachineType", ...NODE_KEYS].map((k) => [k, "GKE Autopilot manages its nodes"])) : {}),
        findings: gkeFindings,
    },
    cloudrun: { cloud: "gcp", parse: parseCloudRun, idleKeys: () => ({}), findings: (service) => cloudRunFindings(service, "service") },
    lambda: { cloud: "aws", parse: parseLambda, idleKeys: () => ({}), findings: (service, p) => lambdaFindings(service, p, "service") },
    hybrid: {
        cloud: "of-baseline",
        parse: parseHybrid,
        idleKeys: (p) => ({
            ...BACKEND_TABLE[p.baseline.backend].idleKeys(p.baseline as never),
            ...(p.overflow.backend === "lambda"
                ? { lambdaEndpoint: "the hybrid overflow is always a private (AWS_IAM) Function URL" }
                : { invokers: "only the baseline's pods may invoke the hybrid overflow", ingress: "the hybrid overflow keeps ingress all (pods reach it over Google's network) and relies on IAM" }),
        }),
        findings: hybridFindings,
    },
};

/** The backends whose keys a stack of `backend` reads: a hybrid stack also takes its baseline's and its overflow's. */
export function servingBackends(backend: Backend, hybridBaseline?: BaselinePlatform["backend"]): Backend[] {
    return backend === "hybrid" && hybridBaseline ? [backend, hybridBaseline, HYBRID_OVERFLOW[hybridBaseline]] : [backend];
}

/** The keys those backends read (keys.ts lists, per key, the backends that use it). */
export function keysUsedBy(backends: readonly Backend[]): Set<string> {
    return new Set(CONFIG_KEYS.filter((k) => k.backends.some((b) => backends.includes(b))).map((k) => k.name));
}

/** The cloud a backend runs on (hybrid: its baseline's). */
export function cloudOfBackend(backend: Backend, hybridBaseline?: BaselinePlatform["backend"]): "aws" | "gcp" {
    const cloud = BACKEND_TABLE[backend].cloud;
    return cloud === "of-baseline" ? (BACKEND_TABLE[hybridBaseline ?? "eks"].cloud as "aws" | "gcp") : cloud;
}

/** Every rule a spec must pass on its platform: cloud-independent, residency and the backend's own. */
export function specFindings(service: ServiceSpec, platform: Platform): Finding[] {
    const cloud = cloudOfBackend(platform.backend, platform.backend === "hybrid" ? platform.baseline.backend : undefined);
    const own = (BACKEND_TABLE[platform.backend] as BackendEntry<Backend>).findings(service, platform);
    return [...serviceFindings(service), ...residencyFindings(service, platform.region, cloud), ...own];
}

/** Baseline and overflow parsed from the same keys; the overflow's front door is fixed (see idleKeys). */
function parseHybrid(r: Readers, at: Location & { hybridBaseline: BaselinePlatform["backend"] }): HybridPlatform {
    r.oneOf("hybridBaseline", ["", "eks", "gke"] as const);
    const baseline = at.hybridBaseline === "eks" ? parseEks(r, at) : parseGke(r, at);
    const overflow: OverflowPlatform = at.hybridBaseline === "eks"
        ? { ...parseLambda(r, at), endpoint: "function-url" }
        : { ...parseCloudRun(r, at), ingress: "all", invokers: [] };
    return { backend: "hybrid", region: at.region, baseline, overflow, queueThreshold: r.int("overflowQueueThreshold", 0, 100000) };
}

function hybridFindings(service: ServiceSpec, platform: HybridPlatform): Finding[] {
    const { baseline, overflow } = platform;
    if (HYBRID_OVERFLOW[baseline.backend] !== overflow.backend) {
        return [{ level: "error", keys: [[key("hybridBaseline"), baseline.backend]], why: `pairs with a ${HYBRID_OVERFLOW[baseline.backend]} overflow, not ${overflow.backend} (eks + lambda, gke + cloudrun)` }];
    }
    const findings = [
        ...(baseline.backend === "eks" ? eksFindings(service, baseline) : gkeFindings(service, baseline)),
        ...(overflow.backend === "lambda" ? lambdaFindings(service, overflow, "overflow") : cloudRunFindings(service, "overflow")),
    ];
    if (baseline.backend === "eks" && baseline.kubernetes.cluster.kind !== "new") {
        findings.push({
            level: "error", keys: [[key("hybridBaseline"), "eks"]],
            why: "needs a new EKS cluster (its Pod Identity agent lets the pods invoke the Lambda overflow); remove kubeconfig / clusterStackReference or use gke",
        });
    }
    return findings;
}
