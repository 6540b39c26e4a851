import type { NodeShape } from "../policies/platform/instance-types";
import type { Residency } from "../policies/platform/regions";
import type { ObservabilitySpec } from "./observability/signals";
import type { CanarySpec } from "./rollout/canary";
import type { GatewayRef } from "./rollout/kubernetes";
import type { ScalingSchedule } from "./schedule/spec";

/** The backends a stack can choose with `model-serving:backend`. */
export const BACKENDS = ["eks", "gke", "cloudrun", "lambda", "hybrid"] as const;
/** One of {@link BACKENDS}. */
export type Backend = (typeof BACKENDS)[number];

/** The model the service serves. */
export interface ModelSpec {
    /** Model name, as the service reports it on /v2/models. */
    name: string;
    /** Model version, a string because registries use "1", "2024-06-01" or "v3". */
    version: string;
    /** Where the model comes from: baked into the image (at `path`, or where the image's server expects it), or the stack's model bucket. */
    artifact: { source: "image"; path?: string } | { source: "bucket"; prefix: string };
}

/** The service as a team declares it, independent of any cloud. */
export interface ServiceSpec {
    /** Service name; prefixes every cloud resource and is the Kubernetes app label. */
    name: string;
    /** The previous `name` after a rename: resources keep their identities (aliases) and cloud names; undefined = never renamed. */
    renamedFrom?: string;
    /** The model to serve. */
    model: ModelSpec;
    /** Image tag pushed to the stack's registry, used when `image` is unset. */
    imageTag: string;
    /** Prebuilt image reference (CI built it); undefined = `pulumi up` builds and pushes to the stack's registry and pins the digest. */
    image?: string;
    /** hybrid on eks with a prebuilt `image`: the Lambda-target image (ECR) of the overflow. */
    lambdaImage?: string;
    /** "retain": registries, buckets and secrets outlive the stack's use of them (production); "delete": removed with contents. */
    deletionPolicy: "retain" | "delete";
    /** Names of secret environment variables; their values live in the stack's encrypted config key `secrets`. */
    secretEnv: string[];
    /** CPU per replica in Kubernetes quantity form: "500m", "1", "2". */
    cpu: string;
    /** Memory per replica in Kubernetes quantity form: "512Mi", "2Gi". */
    memory: string;
    /** Replica bounds and autoscaling targets. */
    scaling: ScalingSpec;
    /** "private" (default) reachable only inside the network / with IAM; "public" on the internet without auth. */
    exposure: "private" | "public";
    /** Where data may live; every region the stack uses must satisfy it. */
    residency: Residency;
    /** Extra environment variables for the container (PORT and MODEL_DIR are set by the component). */
    env: Record<string, string>;
    /** LOG_LEVEL for the service. */
    logLevel: "trace" | "debug" | "info" | "warn" | "error";
    /** Longest a single request may take, in seconds (Lambda timeout, Cloud Run request timeout). */
    requestTimeoutSeconds: number;
    /** A second model version served beside `model` to part of the traffic (components/rollout/); undefined = one version. */
    canary?: CanarySpec;
    /** Alarms and dashboards (components/observability/); undefined = the defaults. */
    observability?: ObservabilitySpec;
}

/** Replica bounds and autoscaling targets. */
export interface ScalingSpec {
    /** Minimum replicas (Kubernetes), instances (Cloud Run) or provisioned concurrency (Lambda). */
    min: number;
    /** Maximum replicas, instances or reserved concurrency. */
    max: number;
    /** Average CPU utilisation, percent of requests, that the HPA aims for. */
    cpuTargetPercent: number;
    /** Average `inference_queue_length` per pod that the HPA aims for. */
    queueLengthTarget: number;
    /** Concurrent requests per instance (Cloud Run `maxInstanceRequestConcurrency`). */
    concurrency: number;
    /** Minimum capacity raised and lowered at set times (components/schedule/); undefined = the fixed min. */
    schedule?: ScalingSchedule;
}

/** Who may use a new EKS cluster besides its creator, and how exported kubeconfigs authenticate. */
export interface EksAccess {
    /** IAM role ARNs given cluster-admin through EKS access entries (CI deployers, the platform team). */
    adminRoleArns: string[];
    /** Source CIDRs allowed to reach the public API endpoint; empty = any address. */
    publicAccessCidrs: string[];
    /** AWS CLI profile the kubeconfig's `aws eks get-token` uses. */
    kubeconfigProfile?: string;
    /** Role the kubeconfig's `aws eks get-token` assumes. */
    kubeconfigRoleArn?: string;
}

/** How a Kubernetes backend reaches its cluster. */
export type ClusterSource =
    | { kind: "new" }
    | { kind: "kubeconfig"; configKey: string }
    | { kind: "stackReference"; stack: string; outputName: string };

/** Kubernetes settings shared by eks and gke. */
export interface KubernetesSettings {
    /** Namespace the workload lives in. */
    namespace: string;
    /** Existing cluster or a new one. */
    cluster: ClusterSource;
    /** Install prometheus-adapter so the HPA can read inference_queue_length. */
    installMetricsAdapter: boolean;
    /** Install a Prometheus (Helm) for the adapter; false = query prometheusUrl. */
    installPrometheus: boolean;
    /** Prometheus the adapter queries when installPrometheus is false. */
    prometheusUrl: string;
    /** Namespace label of the ingress controller / gateway allowed to reach the pods when exposure is public. */
    ingressNamespace: string;
    /** Gateway API Gateway the service's HTTPRoute attaches to (components/rollout/); undefined = none. */
    gateway?: GatewayRef;
}

/**
 * Where and how the service runs, one variant per backend. `nodeShape` describes a node type the instance table
 * (policies/platform/instance-types.ts) lacks; undefined = the table's entry for the type.
 */
export type Platform =
    | { backend: "eks"; region: string; kubernetes: KubernetesSettings; nodeInstanceType: string; nodeShape?: NodeShape; nodeCount: { min: number; max: number }; access: EksAccess }
    | { backend: "gke"; region: string; project: string; kubernetes: KubernetesSettings; gkeMode: "autopilot" | "standard"; nodeMachineType: string; nodeShape?: NodeShape; nodeCount: { min: number; max: number }; enableApis: boolean }
    | { backend: "cloudrun"; region: string; project: string; startupCpuBoost: boolean; ingress: "all" | "internal" | "internal-and-cloud-load-balancing"; invokers: string[]; enableApis: boolean }
    | { backend: "lambda"; region: string; architecture: "x86_64" | "arm64"; endpoint: "function-url" | "http-api"; logRetentionDays: number }
    | HybridPlatform;

/** The Kubernetes baselines a hybrid stack can have. */
export type BaselinePlatform = Extract<Platform, { backend: "eks" | "gke" }>;
/** The serverless overflows: Lambda next to EKS, Cloud Run next to GKE. */
export type OverflowPlatform = Extract<Platform, { backend: "lambda" | "cloudrun" }>;

/**
 * Kubernetes baseline plus a private serverless overflow of the same service that the pods forward to when their
 * wait queue reaches `queueThreshold` (0 = the service's own queue bound, so only what would be shed spills).
 */
export interface HybridPlatform {
    backend: "hybrid";
    region: string;
    baseline: BaselinePlatform;
    overflow: OverflowPlatform;
    queueThreshold: number;
}

/** A validated stack: the service plus the platform it runs on. */
export interface StackSpec {
    /** The cloud-independent service. */
    service: ServiceSpec;
    /** The backend and its settings. */
    platform: Platform;
}
