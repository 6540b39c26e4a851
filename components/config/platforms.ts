import { parseNodeShape, type NodeShape } from "../../policies/platform/instance-types";
import type { ClusterSource, EksAccess, KubernetesSettings, Platform } from "../spec";
import { PROJECT, type Readers } from "./readers";
import { parseGateway } from "./rollout";

/**
 * One parser per backend: its platform settings from its keys, each value checked for what the key itself
 * allows. Rules across keys and the providers' limits are in rules.ts; which parser a backend uses is in backends.ts.
 */

/** Where the stack runs, read from the provider's own keys before the backend's settings. */
export interface Location {
    region: string;
    project: string;
}

export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IAM_MEMBER = /^(user|group|serviceAccount|domain|principal|principalSet):\S+$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** The retention values CloudWatch Logs accepts. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function parseEks(r: Readers, at: Location): Extract<Platform, { backend: "eks" }> {
    return {
        backend: "eks", region: at.region, kubernetes: kubernetesSettings(r), nodeInstanceType: r.str("nodeInstanceType"),
        ...nodeShape(r), nodeCount: nodeCount(r), access: eksAccess(r),
    };
}

export function parseGke(r: Readers, at: Location): Extract<Platform, { backend: "gke" }> {
    return {
        backend: "gke", region: at.region, project: at.project, kubernetes: kubernetesSettings(r),
        gkeMode: r.oneOf("gkeMode", ["autopilot", "standard"] as const), nodeMachineType: r.str("nodeMachineType"), ...nodeShape(r),
        nodeCount: nodeCount(r), enableApis: r.bool("enableApis"),
    };
}

export function parseCloudRun(r: Readers, at: Location): Extract<Platform, { backend: "cloudrun" }> {
    return {
        backend: "cloudrun", region: at.region, project: at.project, startupCpuBoost: r.bool("startupCpuBoost"),
        ingress: r.oneOf("ingress", ["all", "internal", "internal-and-cloud-load-balancing"] as const),
        invokers: invokers(r), enableApis: r.bool("enableApis"),
    };
}

export function parseLambda(r: Readers, at: Location): Extract<Platform, { backend: "lambda" }> {
    return {
        backend: "lambda", region: at.region, architecture: r.oneOf("lambdaArchitecture", ["x86_64", "arm64"] as const),
        endpoint: r.oneOf("lambdaEndpoint", ["function-url", "http-api"] as const),
        logRetentionDays: Number(r.oneOf("logRetentionDays", CLOUDWATCH_RETENTION_DAYS.map(String))),
    };
}

function kubernetesSettings(r: Readers): KubernetesSettings {
    const stackReference = r.str("clusterStackReference");
    const kubeconfigSet = r.str("kubeconfig") !== "";
    let cluster: ClusterSource = { kind: "new" };
    if (kubeconfigSet && stackReference) {
        r.problem(`${PROJECT}:clusterStackReference`, stackReference, `cannot be combined with ${PROJECT}:kubeconfig; set one of them`);
    } else if (kubeconfigSet) {
        cluster = { kind: "kubeconfig", configKey: "kubeconfig" };
    } else if (stackReference) {
        if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(stackReference)) r.problem(`${PROJECT}:clusterStackReference`, stackReference, "is not org/project/stack");
        cluster = { kind: "stackReference", stack: stackReference, outputName: r.str("clusterStackOutput") };
    }
    const namespace = r.str("namespace");
    if (!DNS_LABEL.test(namespace)) r.problem(`${PROJECT}:namespace`, namespace, "is not a lowercase DNS label");
    const metrics = { installMetricsAdapter: r.bool("installMetricsAdapter"), installPrometheus: r.bool("installPrometheus"), prometheusUrl: r.str("prometheusUrl") };
    if (metrics.installMetricsAdapter && !metrics.installPrometheus && !/^https?:\/\/[^\s/]+/.test(metrics.prometheusUrl)) {
        r.problem(`${PROJECT}:prometheusUrl`, metrics.prometheusUrl, "is not an http(s) URL; with installPrometheus false the metrics adapter queries it (or set installPrometheus true)");
    }
    const gateway = parseGateway(r);
    return { namespace, cluster, ...metrics, ingressNamespace: r.str("ingressNamespace"), ...(gateway ? { gateway } : {}) };
}

function eksAccess(r: Readers): EksAccess {
    const adminRoleArns = r.list("clusterAdminRoles");
    for (const arn of adminRoleArns) if (!IAM_ROLE_ARN.test(arn)) r.problem(`${PROJECT}:clusterAdminRoles`, arn, "is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    const kubeconfigRoleArn = r.str("kubeconfigRoleArn");
    if (kubeconfigRoleArn && !IAM_ROLE_ARN.test(kubeconfigRoleArn)) r.problem(`${PROJECT}:kubeconfigRoleArn`, kubeconfigRoleArn, "is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    const publicAccessCidrs = r.list("clusterApiCidrs");
    for (const cidr of publicAccessCidrs) if (!CIDR.test(cidr)) r.problem(`${PROJECT}:clusterApiCidrs`, cidr, "is not an IPv4 CIDR such as 203.0.113.0/24");
    return { adminRoleArns, publicAccessCidrs, kubeconfigProfile: r.str("kubeconfigProfile") || undefined, kubeconfigRoleArn: kubeconfigRoleArn || undefined };
}

function invokers(r: Readers): string[] {
    const members = r.list("invokers");
    for (const member of members) {
        if (member === "allUsers" || member === "allAuthenticatedUsers") r.problem(`${PROJECT}:invokers`, member, `would make the service public; set ${PROJECT}:exposure public instead`);
        else if (!IAM_MEMBER.test(member)) r.problem(`${PROJECT}:invokers`, member, "is not an IAM member such as user:, group:, serviceAccount:, domain:, principal: or principalSet:");
    }
    return members;
}

function nodeCount(r: Readers): { min: number; max: number } {
    const count = { min: r.int("nodeMin", 1, 100), max: r.int("nodeMax", 1, 100) };
    if (count.min > count.max) r.problem(`${PROJECT}:nodeMin`, count.min, `is above ${PROJECT}:nodeMax ${count.max}`);
    return count;
}

/** A node type the instance table lacks, as the stack describes it (model-serving:nodeInstanceShape). */
function nodeShape(r: Readers): { nodeShape?: NodeShape } {
    const text = r.str("nodeInstanceShape");
    if (!text) return {};
    const shape = parseNodeShape(text);
    if (typeof shape === "string") {
        r.problem(`${PROJECT}:nodeInstanceShape`, text, shape);
        return {};
    }
    return { nodeShape: shape };
}
