/** Shapes shared by the advisor's modules. JSON-facing names keep the files' snake_case. */

export interface TrafficProfile {
    name?: string;
    description?: string;
    time_zone?: string;
    /** Mean requests per second for each of the 168 hours of a week, Monday 00:00 first. */
    rps_by_hour: number[];
    payload_bytes: number;
    response_bytes?: number;
    latency_slo_ms_p99: number;
    region: { aws?: string; gcp?: string };
}

export interface Price {
    usd: number;
    unit: string;
    source: string;
}

export interface NodePrice extends Price {
    vcpu: number;
    memory_gib: number;
}

export interface AwsPrices {
    lambda_request: Price;
    lambda_duration: Price;
    lambda_provisioned_concurrency: Price;
    lambda_provisioned_duration: Price;
    eks_control_plane: Price;
    eks_node: NodePrice;
    load_balancer: Price;
    load_balancer_data: Price;
}

export interface GcpPrices {
    gke_autopilot_vcpu: Price;
    gke_autopilot_memory: Price;
    gke_cluster_fee: Price;
    cloud_run_vcpu: Price;
    cloud_run_memory: Price;
    cloud_run_request: Price;
    cloud_run_idle_vcpu: Price;
    cloud_run_idle_memory: Price;
    load_balancer: Price;
    load_balancer_data: Price;
}

export interface PriceTable {
    as_of: string;
    currency: "USD";
    note?: string;
    aws: Record<string, AwsPrices>;
    gcp: Record<string, GcpPrices>;
}

/** What the advisor takes from one benchmark run of the service. */
export interface ServiceFacts {
    measuredAt: string;
    /** predict-single requests per second that one cloud vCPU serves at full load. */
    rpsPerVcpu: number;
    /** How long one request runs when nothing queues in front of it: what Lambda bills. */
    warmDurationMs: number;
    warmP99Ms: number;
    peakRssMb: number;
    serverColdStartMs: number;
    lambdaColdStartMs: number;
}

/** Sizing and platform behaviour the estimates rest on; docs/advisor.md lists each with its reason. */
export interface Assumptions {
    /** Cloud vCPUs that one benchmark core is worth. */
    vcpuPerBenchCore: number;
    /** Share of a replica's CPU the autoscalers aim for (HPA target, Cloud Run's CPU target). */
    targetUtilisation: number;
    replica: { vcpu: number; memoryGib: number };
    minReplicas: number;
    minNodes: number;
    systemReservedVcpuPerNode: number;
    lambda: { minMemoryMb: number; rssHeadroom: number; idleKeepSeconds: number; payloadLimitBytes: number };
    cloudRun: { vcpu: number; memoryGib: number; idleKeepSeconds: number; billingGranularityMs: number; payloadLimitBytes: number };
    /** Above this share of cold requests, the p99 is a cold start. */
    coldFractionForP99: number;
    defaultResponseBytes: number;
}

export type BackendId =
    | "eks"
    | "gke-autopilot"
    | "lambda"
    | "lambda-scheduled"
    | "cloud-run"
    | "cloud-run-scheduled"
    | "hybrid-eks-lambda"
    | "hybrid-gke-cloud-run";

export interface HourEstimate {
    rps: number;
    /** Replicas (Kubernetes), execution environments (Lambda) or instances (Cloud Run) running this hour. */
    units: number;
    /** Hybrid only: serverless environments or instances serving the overflow. */
    overflowUnits: number;
    overflowRps: number;
    costUsd: number;
    /** Requests that wait for a cold start. Kubernetes pods start behind readiness probes, so they add none. */
    coldStarts: number;
}

export interface BackendEstimate {
    backend: BackendId;
    cloud: "aws" | "gcp";
    region: string;
    unitName: "replicas" | "environments" | "instances";
    hours: HourEstimate[];
    monthlyCostUsd: number;
    coldStartsPerDay: number;
    /** Pods started per day by scale-out (Kubernetes and hybrid); not seen by users. */
    podStartsPerDay: number;
    p99Ms: number;
    meetsSlo: boolean;
    /** Set when the backend cannot serve this profile at all (e.g. payload over a platform limit). */
    ineligible?: string;
    /** Hybrid only: set when the cheapest baseline covers the peak, so the hybrid is this backend. */
    sameAs?: BackendId;
    /** Configuration the estimate assumes, e.g. "HPA maxReplicas 4, overflow above 4 replicas". */
    settings: string[];
}

export interface Recommendation {
    backend: BackendId;
    reason: string;
}
