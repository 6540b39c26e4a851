import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { instanceSelector } from "../rollout/kubernetes";
import { drainTiming, hpaBehavior, podDisruptionBudget } from "../sizing";
import type { KubernetesSettings, ServiceSpec } from "../spec";
import { METRIC_NAMES, METRICS_PATH, PROBE_PATHS, SERVICE_ENV } from "../../services/inference/src/contract";
import { drainEnvironment, MOUNTED_MODEL_ROOT, SERVICE_PORT, modelDir, serviceEnvironment } from "./environment";

/**
 * The Kubernetes objects of one service as plain specs: pure functions, so tests and the schema validator read
 * exactly what the component sends to the API server.
 */

/** The HPA's custom metric, exported by the service's /metrics as a gauge per pod. */
export const QUEUE_METRIC = METRIC_NAMES.queueLength;
/** Namespace Prometheus (and so prometheus-adapter) runs in; the NetworkPolicy lets it scrape. */
export const MONITORING_NAMESPACE = "monitoring";

/** The cloud CLIs that sync a bucket-sourced model; stacks copy them into their own registry (MirroredImage). */
export const MODEL_SYNC_IMAGES = {
    aws: "public.ecr.aws/aws-cli/aws-cli:2.22.35",
    gcp: "gcr.io/google.com/cloudsdktool/google-cloud-cli:502.0.0-slim",
} as const;

/** Where a bucket-sourced model is synced from: the bucket URL (s3://… or gs://…) and its cloud's CLI. */
export interface ModelBucket {
    /** s3://bucket or gs://bucket. */
    url: pulumi.Input<string>;
    /** Which CLI syncs it. */
    cloud: "aws" | "gcp";
    /** That CLI's image as the pods pull it (the stack's copy, by digest); default the upstream reference. */
    syncImage?: pulumi.Input<string>;
}

/** The (stable) Deployment's selector, immutable once created; the Service selects stable and canary pods by instanceSelector. */
export function selectorLabels(service: ServiceSpec): Record<string, string> {
    return { "app.kubernetes.io/name": service.name };
}

/** Labels on every object: selector labels plus version and ownership. */
export function commonLabels(service: ServiceSpec): Record<string, string> {
    return {
        ...selectorLabels(service),
        // Every pod of the service, stable or canary: what the Service, PDB and NetworkPolicy select (components/rollout/).
        ...instanceSelector(service.name),
        "app.kubernetes.io/version": service.model.version.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 63),
        "app.kubernetes.io/component": "inference",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** Who the pods run as and where their secret variables come from. */
export interface PodIdentity {
    /** Kubernetes service account (carries the stack: it is part of the cloud identity's subject); default the service name. */
    serviceAccountName?: string;
    /** Kubernetes Secret holding the service's secret variables (one key per variable). */
    secretName?: pulumi.Input<string>;
}

/** The container's environment: plain values, then each secret variable as a secretKeyRef (never a value in the spec). */
export function containerEnv(
    plain: Record<string, pulumi.Input<string>>, secretNames: readonly string[], secretName: pulumi.Input<string> | undefined,
): k8s.types.input.core.v1.EnvVar[] {
    return [
        ...Object.entries(plain).map(([name, value]) => ({ name, value })),
        ...(secretName ? secretNames.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key: name } } })) : []),
    ];
}

/** The Deployment spec: probes, limits, non-root read-only containers, draining and zone spread. */
export function deploymentSpec(
    service: ServiceSpec, image: pulumi.Input<string>, bucket?: ModelBucket, extraEnv: Record<string, pulumi.Input<string>> = {}, pod: PodIdentity = {},
): k8s.types.input.apps.v1.DeploymentSpec {
    const drain = drainTiming(service.requestTimeoutSeconds);
    const env = serviceEnvironment(service, drainEnvironment(drain.shutdownGraceSeconds, SERVICE_PORT));
    const fromBucket = service.model.artifact.source === "bucket" && bucket !== undefined;
    const httpGet = (path: string) => ({ path, port: "http" });
    return {
        // replicas is left to the HPA: setting it here would reset the count on every `pulumi up`.
        selector: { matchLabels: selectorLabels(service) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
            metadata: {
                labels: commonLabels(service),
                annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(SERVICE_PORT), "prometheus.io/path": METRICS_PATH },
            },
            spec: {
                serviceAccountName: pod.serviceAccountName ?? service.name,
                automountServiceAccountToken: false,
                terminationGracePeriodSeconds: drain.terminationGracePeriodSeconds,
                securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                topologySpreadConstraints: [
                    spread("topology.kubernetes.io/zone", service),
                    spread("kubernetes.io/hostname", service),
                ],
                initContainers: fromBucket ? [modelSyncContainer(service, bucket)] : undefined,
                containers: [{
                    name: "inference",
                    image,
                    ports: [{ name: "http", containerPort: SERVICE_PORT, protocol: "TCP" }],
                    env: containerEnv({ ...env, ...extraEnv }, service.secretEnv, pod.secretName),
                    resources: {
                        requests: { cpu: service.cpu, memory: service.memory },
                        limits: { cpu: service.cpu, memory: service.memory },
                    },
                    // The model loads before /ready answers 200; allow five minutes before the kubelet restarts.
                    startupProbe: { httpGet: httpGet(PROBE_PATHS.readiness), periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 2 },
                    readinessProbe: { httpGet: httpGet(PROBE_PATHS.readiness), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
                    livenessProbe: { httpGet: httpGet(PROBE_PATHS.liveness), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
                    // Keep serving while endpoints controllers and load balancers stop routing to this pod.
                    lifecycle: { preStop: { sleep: { seconds: drain.preStopSleepSeconds } } },
                    securityContext: restrictedContainer(),
                    volumeMounts: [
                        { name: "tmp", mountPath: "/tmp" },
                        ...(fromBucket ? [{ name: "models", mountPath: MOUNTED_MODEL_ROOT, readOnly: true }] : []),
                    ],
                }],
                volumes: [
                    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                    ...(fromBucket ? [{ name: "models", emptyDir: { sizeLimit: "2Gi" } }] : []),
                ],
            },
        },
    };
}

function spread(topologyKey: string, service: ServiceSpec): k8s.types.input.core.v1.TopologySpreadConstraint {
    // ScheduleAnyway: spreading is a preference; a zone outage must not leave pods Pending.
    return { maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(service) } };
}

function restrictedContainer(): k8s.types.input.core.v1.SecurityContext {
    return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
}

/** Copies <model>/<version>/ from the bucket into the shared emptyDir before the server starts. */
function modelSyncContainer(service: ServiceSpec, bucket: ModelBucket): k8s.types.input.core.v1.Container {
    const prefix = service.model.artifact.source === "bucket" ? service.model.artifact.prefix : "";
    const target = modelDir(service);
    const source = (url: string) => `${url}/${prefix}`;
    const command = bucket.cloud === "aws"
        ? { command: ["sh", "-c", 'aws s3 sync --no-progress "$MODEL_SOURCE" "$MODEL_DIR"'] }
        : { command: ["sh", "-c", 'gcloud storage rsync --recursive "$MODEL_SOURCE" "$MODEL_DIR"'] };
    return {
        name: "model-sync",
        image: bucket.syncImage ?? MODEL_SYNC_IMAGES[bucket.cloud],
        ...command,
        env: [
            { name: "MODEL_SOURCE", value: typeof bucket.url === "string" ? source(bucket.url) : (bucket.url as pulumi.Output<string>).apply(source) },
            { name: SERVICE_ENV.modelDir.name, value: target },
            { name: "HOME", value: "/tmp" },
        ],
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        securityContext: restrictedContainer(),
        volumeMounts: [{ name: "models", mountPath: MOUNTED_MODEL_ROOT }, { name: "tmp", mountPath: "/tmp" }],
    };
}

/** HPA on CPU utilisation and on the per-pod inference queue, with explicit scale-up and scale-down behaviour. */
export function autoscalerSpec(service: ServiceSpec): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: service.name },
        // An HPA cannot scale to zero (without an alpha feature gate); minReplicas 0 means "as few as possible".
        minReplicas: Math.max(1, service.scaling.min),
        maxReplicas: service.scaling.max,
        metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: service.scaling.cpuTargetPercent } } },
            { type: "Pods", pods: { metric: { name: QUEUE_METRIC }, target: { type: "AverageValue", averageValue: String(service.scaling.queueLengthTarget) } } },
        ],
        behavior: hpaBehavior(service.scaling.max),
    };
}

/** PodDisruptionBudget spec that keeps capacity during node drains. */
export function disruptionBudgetSpec(service: ServiceSpec): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { selector: { matchLabels: instanceSelector(service.name) }, ...podDisruptionBudget(service.scaling.min) };
}

/** Service spec: ClusterIP when private, an external LoadBalancer when public. */
export function serviceSpec(service: ServiceSpec): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: service.exposure === "public" ? "LoadBalancer" : "ClusterIP",
        selector: instanceSelector(service.name),
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    };
}

/**
 * NetworkPolicy: pods accept traffic on the service port from their namespace, the ingress controller's and
 * Prometheus' (or from anywhere when public); they may only reach DNS, HTTPS (bucket APIs) and the node-local
 * credential endpoints (GKE metadata server, EKS Pod Identity agent) that the model sync needs.
 */
export function networkPolicySpec(service: ServiceSpec, settings: KubernetesSettings): k8s.types.input.networking.v1.NetworkPolicySpec {
    const fromNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
    const from = service.exposure === "public"
        ? [{ ipBlock: { cidr: "0.0.0.0/0" } }]
        : [fromNamespace(settings.namespace), fromNamespace(settings.ingressNamespace), fromNamespace(MONITORING_NAMESPACE)];
    return {
        podSelector: { matchLabels: instanceSelector(service.name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from, ports: [{ port: SERVICE_PORT, protocol: "TCP" }] }],
        egress: [
            { ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] },
            { ports: [{ port: 443, protocol: "TCP" }] },
            { to: [{ ipBlock: { cidr: "169.254.0.0/16" } }], ports: [{ port: 80, protocol: "TCP" }, { port: 988, protocol: "TCP" }] },
        ],
    };
}

/**
 * Prometheus for the adapter (chart prometheus, server only): it scrapes pods annotated prometheus.io/scrape, as
 * the Deployment's pods are. Node exporter, kube-state-metrics, Alertmanager and Pushgateway are off: the HPA needs
 * none of them, and Autopilot refuses the node exporter's host access.
 */
export function prometheusValues(): Record<string, unknown> {
    return {
        alertmanager: { enabled: false },
        "kube-state-metrics": { enabled: false },
        "prometheus-node-exporter": { enabled: false },
        "prometheus-pushgateway": { enabled: false },
        server: {
            retention: "2d",
            persistentVolume: { enabled: false },
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
    };
}

/** In-cluster URL of the chart's server Service: "<release>-server" when the release name contains "prometheus". */
export function prometheusServerUrl(releaseName: string): string {
    const fullname = releaseName.includes("prometheus") ? releaseName : `${releaseName}-prometheus`;
    return `http://${fullname}-server.${MONITORING_NAMESPACE}.svc`;
}

/**
 * The chart takes the URL without its port and the port apart (it joins them as url:port); a URL without one
 * means its scheme's default (kube-prometheus-stack listens on 9090, the prometheus chart's server on 80).
 */
export function adapterPrometheus(prometheusUrl: string): { url: string; port: number } {
    const url = new URL(prometheusUrl);
    const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    url.port = "";
    return { url: url.toString().replace(/\/$/, ""), port };
}

/** prometheus-adapter rules that expose inference_queue_length as a per-pod custom metric. */
export function metricsAdapterValues(prometheusUrl: string): Record<string, unknown> {
    return {
        prometheus: adapterPrometheus(prometheusUrl),
        rules: {
            default: false,
            custom: [{
                seriesQuery: `${QUEUE_METRIC}{namespace!="",pod!=""}`,
                resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
                name: { matches: `^${QUEUE_METRIC}$`, as: QUEUE_METRIC },
                metricsQuery: "avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
            }],
        },
    };
}
