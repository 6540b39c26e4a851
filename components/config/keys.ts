import { BACKENDS, type Backend } from "../spec";

/**
 * Every `model-serving:*` key a stack may set. Pulumi.yaml's `config:` schema declares the same keys with the same
 * defaults (a test keeps them equal), so `pulumi config` and this parser agree.
 */
export interface ConfigKey {
    /** Key without the project prefix. */
    name: string;
    /** Pulumi project-config type. */
    type: "string" | "integer" | "boolean" | "array";
    /** Default as Pulumi.yaml declares it; undefined = required (only backend). */
    default?: string | number | boolean | string[];
    /** One line for Pulumi.yaml and the README. */
    description: string;
    /** Backends the key means something for; a key set to a non-default value elsewhere is reported as unused (a warning). */
    backends: readonly Backend[];
}

const ALL: readonly Backend[] = BACKENDS;
// A hybrid stack also takes the keys of its baseline (eks or gke) and its overflow (lambda or cloudrun); see parse.ts.
const K8S: readonly Backend[] = ["eks", "gke", "hybrid"];

export const CONFIG_KEYS: readonly ConfigKey[] = [
    { name: "backend", type: "string", description: "Where the service runs: eks, gke, cloudrun, lambda or hybrid (Kubernetes baseline + serverless overflow) (required).", backends: ALL },
    { name: "serviceName", type: "string", default: "property-valuation", description: "Service name: prefix of every cloud resource and the Kubernetes app label.", backends: ALL },
    { name: "modelName", type: "string", default: "property-valuation", description: "Name of the served model.", backends: ALL },
    { name: "modelVersion", type: "string", default: "1", description: "Version of the served model; also the bucket prefix <modelName>/<modelVersion>/.", backends: ALL },
    { name: "modelSource", type: "string", default: "image", description: "image: serve the model baked into the image at modelPath; bucket: serve <modelName>/<modelVersion>/ from the stack's model bucket.", backends: ALL },
    { name: "modelPath", type: "string", default: "", description: "MODEL_DIR inside the image when modelSource is image; empty = the model the image bundles (server and Lambda images keep it in different places).", backends: ALL },
    { name: "image", type: "string", default: "", description: "Full image reference; empty = <the stack's registry>/<serviceName>:<imageTag>.", backends: ALL },
    { name: "imageTag", type: "string", default: "1", description: "Tag of the image pushed to the stack's registry.", backends: ALL },
    { name: "cpu", type: "string", default: "1", description: "CPU per replica as a Kubernetes quantity (500m, 1, 2); Lambda memory grows to match it.", backends: ALL },
    { name: "memory", type: "string", default: "2Gi", description: "Memory per replica as a Kubernetes quantity (512Mi, 2Gi).", backends: ALL },
    { name: "minReplicas", type: "integer", default: 1, description: "Minimum replicas / instances; on Lambda the provisioned concurrency (0 = none).", backends: ALL },
    { name: "maxReplicas", type: "integer", default: 5, description: "Maximum replicas / instances; on Lambda the reserved concurrency.", backends: ALL },
    { name: "cpuTargetPercent", type: "integer", default: 70, description: "HPA target: average CPU utilisation in percent of requests.", backends: K8S },
    { name: "queueLengthTarget", type: "integer", default: 4, description: "HPA target: average inference_queue_length per pod.", backends: K8S },
    { name: "scalingSchedule", type: "array", default: [], description: "Scheduled minimum capacity: \"<name> <minCapacity> <cron>\" strings, e.g. \"evening 6 0 18 * * 1-5\" (five-field cron read in scalingTimeZone).", backends: ALL },
    { name: "scalingTimeZone", type: "string", default: "UTC", description: "IANA time zone the scalingSchedule cron times are read in.", backends: ALL },
    { name: "concurrency", type: "integer", default: 8, description: "Cloud Run concurrent requests per instance.", backends: ["cloudrun"] },
    { name: "exposure", type: "string", default: "private", description: "private: callers need IAM or cluster network access; public: open to the internet.", backends: ALL },
    { name: "residency", type: "string", default: "any", description: "Data residency area every region must lie in: any, us, eu, uk, ch, ca, apac, sa, me, af, il, mx.", backends: ALL },
    { name: "allowedRegions", type: "array", default: [], description: "Explicit list of regions the stack may use; empty = no list.", backends: ALL },
    { name: "env", type: "array", default: [], description: "Extra container environment variables as NAME=value strings.", backends: ALL },
    { name: "logLevel", type: "string", default: "info", description: "LOG_LEVEL of the service: trace, debug, info, warn, error.", backends: ALL },
    { name: "requestTimeoutSeconds", type: "integer", default: 30, description: "Longest single request: Lambda timeout, Cloud Run request timeout.", backends: ALL },
    { name: "namespace", type: "string", default: "inference", description: "Kubernetes namespace of the workload.", backends: K8S },
    { name: "kubeconfig", type: "string", default: "", description: "Kubeconfig of an existing cluster (pulumi config set --secret); empty = clusterStackReference, or else a new cluster.", backends: K8S },
    { name: "clusterStackReference", type: "string", default: "", description: "org/project/stack whose output (clusterStackOutput) is the kubeconfig of an existing cluster.", backends: K8S },
    { name: "clusterStackOutput", type: "string", default: "kubeconfig", description: "Output name holding the kubeconfig in clusterStackReference.", backends: K8S },
    { name: "installMetricsAdapter", type: "boolean", default: false, description: "Install prometheus-adapter (Helm) so the HPA can read inference_queue_length.", backends: K8S },
    { name: "prometheusUrl", type: "string", default: "http://prometheus-server.monitoring.svc", description: "Prometheus that prometheus-adapter queries (port 80) when installMetricsAdapter is true.", backends: K8S },
    { name: "ingressNamespace", type: "string", default: "ingress-nginx", description: "Namespace whose pods the NetworkPolicy admits besides the service's own namespace.", backends: K8S },
    { name: "nodeInstanceType", type: "string", default: "m6i.large", description: "EC2 instance type of the new EKS cluster's managed node group.", backends: ["eks"] },
    { name: "gkeMode", type: "string", default: "autopilot", description: "New GKE cluster: autopilot or standard (with a node pool).", backends: ["gke"] },
    { name: "nodeMachineType", type: "string", default: "e2-standard-4", description: "Machine type of the GKE Standard node pool.", backends: ["gke"] },
    { name: "nodeMin", type: "integer", default: 2, description: "Minimum nodes of a new EKS node group / GKE Standard node pool.", backends: K8S },
    { name: "nodeMax", type: "integer", default: 6, description: "Maximum nodes of a new EKS node group / GKE Standard node pool.", backends: K8S },
    { name: "nodeInstanceShape", type: "string", default: "", description: "A node type missing from policies/platform/instance-types.ts, described as <vCPUs>/<memory>[/<maxPods>][/arm64] (e.g. 16/64Gi/234) so the config checks can tell whether a replica fits and the image is built for its architecture; empty = the table's entry.", backends: K8S },
    { name: "startupCpuBoost", type: "boolean", default: true, description: "Cloud Run: extra CPU while the container starts (model load).", backends: ["cloudrun"] },
    { name: "ingress", type: "string", default: "all", description: "Cloud Run ingress: all, internal or internal-and-cloud-load-balancing.", backends: ["cloudrun"] },
    { name: "invokers", type: "array", default: [], description: "Cloud Run: IAM members granted roles/run.invoker on a private service (group:ml@example.com).", backends: ["cloudrun"] },
    { name: "lambdaArchitecture", type: "string", default: "x86_64", description: "Lambda architecture: x86_64 or arm64 (must match the image).", backends: ["lambda"] },
    { name: "lambdaEndpoint", type: "string", default: "function-url", description: "Lambda front door: function-url or http-api (API Gateway HTTP API).", backends: ["lambda"] },
    { name: "logRetentionDays", type: "integer", default: 30, description: "Lambda CloudWatch log retention in days.", backends: ["lambda"] },
    { name: "hybridBaseline", type: "string", default: "", description: "hybrid: the Kubernetes baseline, eks (overflow on Lambda) or gke (overflow on Cloud Run); empty = the cloud whose region key the stack sets (aws:region → eks, gcp:region → gke).", backends: ["hybrid"] },
    { name: "overflowQueueThreshold", type: "integer", default: 0, description: "hybrid: a pod forwards to the overflow once this many requests wait for its model; 0 = its queue bound (only what would be shed).", backends: ["hybrid"] },
    { name: "renamedFrom", type: "string", default: "", description: "After renaming serviceName: the previous name. Resources keep their identities (Pulumi aliases) and cloud names, so nothing is replaced; Kubernetes objects take the new name.", backends: ALL },
    { name: "lambdaImage", type: "string", default: "", description: "hybrid on eks with a prebuilt image: the overflow's Lambda-target image, in the stack's ECR (required then).", backends: ["hybrid"] },
    { name: "deletionPolicy", type: "string", default: "delete", description: "retain: registries, buckets and secrets outlive the stack's use of them (production); delete: removed with their contents, so a backend switch or destroy completes.", backends: ALL },
    { name: "secretEnv", type: "array", default: [], description: "Names of secret environment variables; each value is the encrypted stack config secrets:<NAME> (pulumi config set --secret secrets:NAME …).", backends: ALL },
    { name: "installPrometheus", type: "boolean", default: true, description: "With installMetricsAdapter: install a Prometheus (Helm) for the adapter; false = query prometheusUrl.", backends: K8S },
    { name: "clusterApiCidrs", type: "array", default: [], description: "New EKS cluster: source CIDRs allowed to reach the public API endpoint (the deploying CI's and operators' ranges); empty = any address.", backends: ["eks"] },
    { name: "clusterAdminRoles", type: "array", default: [], description: "New EKS cluster: IAM role ARNs given cluster-admin through access entries (CI deployers, the platform team).", backends: ["eks"] },
    { name: "kubeconfigProfile", type: "string", default: "", description: "New EKS cluster: AWS CLI profile of the exported kubeconfig's aws eks get-token.", backends: ["eks"] },
    { name: "kubeconfigRoleArn", type: "string", default: "", description: "New EKS cluster: IAM role the exported kubeconfig's aws eks get-token assumes.", backends: ["eks"] },
    { name: "enableApis", type: "boolean", default: true, description: "GCP: enable the project services the backend needs (container, run, artifactregistry, …); false for locked-down projects where they are enabled already.", backends: ["gke", "cloudrun"] },
    { name: "canaryModelVersion", type: "string", default: "", description: "Model version served beside modelVersion to canaryPercent of the requests (components/rollout/); empty = no canary. Promote: set modelVersion to it and remove both canary keys; roll back: remove them.", backends: ALL },
    { name: "canaryPercent", type: "integer", default: 0, description: "Share of requests, 1-99, the canary takes: Cloud Run traffic, Lambda alias weight, Gateway HTTPRoute weight or (without a Gateway) pods; 0 = no canary.", backends: ALL },
    { name: "alarms", type: "boolean", default: true, description: "Render alarms: CloudWatch alarms (lambda), Cloud Monitoring alert policies (cloudrun), a PrometheusRule (Kubernetes with prometheusOperator).", backends: ALL },
    { name: "latencySloMs", type: "integer", default: 250, description: "p99 model-call latency objective in milliseconds; the latency alarm fires above it.", backends: ALL },
    { name: "alarmErrorPercent", type: "integer", default: 1, description: "5xx share, and shed (503) share, in percent above which an alarm fires.", backends: ALL },
    { name: "alarmTopicArn", type: "string", default: "", description: "Lambda: SNS topic ARN the CloudWatch alarms notify (on alarm and on recovery); empty = no notification.", backends: ["lambda"] },
    { name: "alarmNotificationChannels", type: "array", default: [], description: "Cloud Run: Cloud Monitoring notification channels (projects/<project>/notificationChannels/<id>) the alert policies notify.", backends: ["cloudrun"] },
    { name: "alertLabels", type: "array", default: [], description: "Kubernetes: labels (name=value) on every alert of the PrometheusRule, for Alertmanager routing (e.g. team=ml).", backends: K8S },
    { name: "prometheusOperator", type: "boolean", default: false, description: "Kubernetes: the cluster runs the prometheus-operator; render a PodMonitor and a PrometheusRule (monitoring.coreos.com/v1).", backends: K8S },
    { name: "prometheusRuleLabels", type: "array", default: ["release=kube-prometheus-stack"], description: "Kubernetes with prometheusOperator: labels (name=value) on the PodMonitor and PrometheusRule that the operator's Prometheus selects them by.", backends: K8S },
    { name: "gatewayName", type: "string", default: "", description: "Kubernetes: a Gateway API Gateway ([namespace/]name) to attach an HTTPRoute to; a canary then gets exact request weights instead of a share of pods.", backends: K8S },
];

/** Region keys owned by the cloud providers, read by the spec parser. */
export const PROVIDER_KEYS = { awsRegion: "aws:region", gcpRegion: "gcp:region", gcpProject: "gcp:project" } as const;
