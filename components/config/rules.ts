import { API_GATEWAY_HTTP_API, CLOUD_RUN, cloudRunSizeProblems, LAMBDA, lambdaSizeProblem } from "../../policies/platform/limits";
import { allowedBy, describeResidency, regionsOf } from "../../policies/platform/regions";
import { cpuMillis, memoryMiB, MiB } from "../../policies/platform/quantity";
import { awsCron, scheduleProblems } from "../schedule/spec";
import type { ClusterSource, KubernetesSettings, Platform, ServiceSpec } from "../spec";
import { error, key, warning, type Finding } from "./findings";
import { autopilotFindings, nodeFitFindings } from "./node-fit";

/**
 * The rules a validated spec must pass, per backend, each finding naming its keys: the parser runs them on every
 * stack (prefixing the stack file) and ModelService on args built in code, so the component never refuses what
 * the parser accepted. The providers' numbers come from policies/platform/.
 */

/** Whether the serverless rules apply to the service itself or to a hybrid stack's overflow copy of it. */
export type Role = "service" | "overflow";

const ROLE_NOTE: Record<Role, string> = { service: "", overflow: " (the hybrid overflow)" };

/** The replica's size: Kubernetes quantities of at least 1m CPU and 1Mi memory. */
export function quantityFindings(cpu: string, memory: string): Finding[] {
    return [
        ...(cpuMillis(cpu) >= 1 ? [] : [error([[key("cpu"), cpu]], "is not a positive CPU quantity such as 500m, 1 or 2")]),
        ...(memoryMiB(memory) >= 1 ? [] : [error([[key("memory"), memory]], "is not a memory quantity of at least 1Mi such as 512Mi or 2Gi")]),
    ];
}

/** Cloud-independent validity: quantities, replica bounds and the schedule. */
export function serviceFindings(service: ServiceSpec): Finding[] {
    const findings: Finding[] = quantityFindings(service.cpu, service.memory);
    const { scaling } = service;
    if (!(Number.isInteger(scaling.min) && scaling.min >= 0)) findings.push(error([[key("minReplicas"), scaling.min]], "is not a whole number ≥ 0"));
    if (!(Number.isInteger(scaling.max) && scaling.max >= 1)) findings.push(error([[key("maxReplicas"), scaling.max]], "is not a whole number ≥ 1"));
    if (scaling.min > scaling.max) findings.push(error([[key("minReplicas"), scaling.min]], `is above ${key("maxReplicas")} ${scaling.max}`));
    if (scaling.schedule) {
        for (const why of scheduleProblems(scaling.schedule, scaling.max)) findings.push(error([[key("scalingSchedule"), scheduleLines(service)]], why));
    }
    return findings;
}

/** The stack's region against its residency, with the regions it could use instead. */
export function residencyFindings(service: ServiceSpec, region: string, cloud: "aws" | "gcp"): Finding[] {
    if (allowedBy(service.residency, region)) return [];
    const allowed = regionsOf(cloud).filter((r) => allowedBy(service.residency, r));
    return [error([[cloud === "aws" ? "aws:region" : "gcp:region", region]], `is outside residency ${describeResidency(service.residency)}; allowed ${cloud} regions: ${allowed.join(", ") || "none"}`)];
}

export function eksFindings(service: ServiceSpec, platform: Extract<Platform, { backend: "eks" }>): Finding[] {
    const { cluster } = platform.kubernetes;
    const metrics = metricsPipelineFindings(service, platform.kubernetes);
    if (cluster.kind !== "new") {
        return service.model.artifact.source === "bucket"
            ? [...metrics, error([[key("modelSource"), "bucket"], clusterKey(cluster)], "needs the new EKS cluster (its Pod Identity agent grants the pods bucket read); use modelSource image with an existing cluster, or let the stack create the cluster")]
            : metrics;
    }
    return [...metrics, ...nodeFitFindings(service, { platform: "eks", typeKey: "nodeInstanceType", type: platform.nodeInstanceType, shape: platform.nodeShape, nodeCount: platform.nodeCount })];
}

export function gkeFindings(service: ServiceSpec, platform: Extract<Platform, { backend: "gke" }>): Finding[] {
    const metrics = metricsPipelineFindings(service, platform.kubernetes);
    if (platform.kubernetes.cluster.kind !== "new") return metrics;
    if (platform.gkeMode === "autopilot") return [...metrics, ...autopilotFindings(service)];
    return [...metrics, ...nodeFitFindings(service, { platform: "gke", typeKey: "nodeMachineType", type: platform.nodeMachineType, shape: platform.nodeShape, nodeCount: platform.nodeCount })];
}

/** kube-prometheus-stack's Prometheus Service when the chart is released as "kube-prometheus-stack" in monitoring. */
const OPERATOR_PROMETHEUS_URL = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";

/**
 * prometheusOperator says the cluster already runs a Prometheus (kube-prometheus-stack); installing the adapter's
 * own beside it would scrape the pods twice and hold two copies of every series. The adapter should query that one.
 */
function metricsPipelineFindings(service: ServiceSpec, kubernetes: KubernetesSettings): Finding[] {
    if (!service.observability?.prometheusOperator || !kubernetes.installMetricsAdapter || !kubernetes.installPrometheus) return [];
    return [warning([[key("prometheusOperator"), true], [key("installPrometheus"), true]],
        `would run a second Prometheus beside the operator's; set ${key("installPrometheus")} false and ${key("prometheusUrl")} to the operator's Prometheus (kube-prometheus-stack: ${OPERATOR_PROMETHEUS_URL})`)];
}

export function cloudRunFindings(service: ServiceSpec, role: Role): Finding[] {
    const findings: Finding[] = [];
    const misfit = cloudRunSizeProblems(cpuMillis(service.cpu) / 1000, memoryMiB(service.memory) * MiB, { secondGeneration: true, concurrency: service.scaling.concurrency });
    if (misfit.length > 0) findings.push(error([[key("cpu"), service.cpu], [key("memory"), service.memory]], `does not fit cloudrun${ROLE_NOTE[role]}: ${misfit.join("; ")}`));
    if (service.requestTimeoutSeconds > CLOUD_RUN.maxTimeoutSeconds) findings.push(error([[key("requestTimeoutSeconds"), service.requestTimeoutSeconds]], `is above Cloud Run's ${CLOUD_RUN.maxTimeoutSeconds} s request timeout${ROLE_NOTE[role]}`));
    if (service.scaling.concurrency > CLOUD_RUN.maxConcurrency) findings.push(error([[key("concurrency"), service.scaling.concurrency]], `is above Cloud Run's ${CLOUD_RUN.maxConcurrency}`));
    return findings;
}

export function lambdaFindings(service: ServiceSpec, platform: Extract<Platform, { backend: "lambda" }>, role: Role): Finding[] {
    const findings: Finding[] = [];
    const misfit = lambdaSizeProblem(cpuMillis(service.cpu) / 1000, memoryMiB(service.memory) * MiB);
    if (misfit) findings.push(error([[key("cpu"), service.cpu], [key("memory"), service.memory]], `does not fit lambda${ROLE_NOTE[role]}: ${misfit}`));
    if (service.model.artifact.source === "bucket") {
        findings.push(error([[key("modelSource"), "bucket"]], `is not available on ${role === "overflow" ? "hybrid with hybridBaseline eks (its overflow is a Lambda)" : "lambda"}: Lambda cannot mount a bucket, so the model must be in the image; use image`));
    }
    if (service.requestTimeoutSeconds > LAMBDA.maxTimeoutSeconds) findings.push(error([[key("requestTimeoutSeconds"), service.requestTimeoutSeconds]], `is above Lambda's ${LAMBDA.maxTimeoutSeconds} s maximum${ROLE_NOTE[role]}`));
    if (role === "overflow") return findings;
    const gatewayLimit = API_GATEWAY_HTTP_API.maxIntegrationTimeoutSeconds;
    if (platform.endpoint === "http-api" && service.requestTimeoutSeconds > gatewayLimit) {
        findings.push(error([[key("requestTimeoutSeconds"), service.requestTimeoutSeconds], [key("lambdaEndpoint"), "http-api"]],
            `: API Gateway HTTP APIs end every integration after ${gatewayLimit} s, so longer requests would fail with 503; lower requestTimeoutSeconds to ${gatewayLimit} or use lambdaEndpoint function-url (up to ${LAMBDA.maxTimeoutSeconds} s)`));
    }
    for (const entry of service.scaling.schedule?.entries ?? []) {
        try {
            awsCron(entry.cron);
        } catch (cause) {
            findings.push(error([[key("scalingSchedule"), `${entry.name} ${entry.minCapacity} ${entry.cron}`]],
                `cannot run on Lambda (Application Auto Scaling cron): ${(cause as Error).message}; split it into one entry per day field`));
        }
    }
    const reservable = LAMBDA.defaultAccountConcurrency - LAMBDA.unreservedConcurrencyFloor;
    if (service.scaling.max > reservable) {
        findings.push(warning([[key("maxReplicas"), service.scaling.max]], `is Lambda reserved concurrency, which must leave ${LAMBDA.unreservedConcurrencyFloor} executions unreserved: the default account quota of ${LAMBDA.defaultAccountConcurrency} allows at most ${reservable}; request a quota increase first`));
    }
    return findings;
}

/** The key that points a Kubernetes backend at an existing cluster, for messages. */
export function clusterKey(cluster: Exclude<ClusterSource, { kind: "new" }>): [string, unknown] {
    return cluster.kind === "kubeconfig" ? [key("kubeconfig"), "[secret]"] : [key("clusterStackReference"), cluster.stack];
}

/** The schedule as the stack writes it, for messages. */
function scheduleLines(service: ServiceSpec): string[] {
    return (service.scaling.schedule?.entries ?? []).map((e) => `${e.name} ${e.minCapacity} ${e.cron}`);
}
