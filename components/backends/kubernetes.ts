import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmReleaseName } from "../naming";
import type { KubernetesSettings, ServiceSpec } from "../spec";
import {
    autoscalerSpec, commonLabels, deploymentSpec, disruptionBudgetSpec, metricsAdapterValues, MONITORING_NAMESPACE,
    networkPolicySpec, prometheusServerUrl, prometheusValues, serviceSpec, type ModelBucket,
} from "./kubernetes-objects";
import { observeKubernetes } from "../observability/resources";
import { KubernetesRollout, stableAutoscalerSpec } from "../rollout/kubernetes-canary";
import { serviceSecretValues } from "./secrets";

/** prometheus-community/prometheus chart version installed for the adapter. */
export const PROMETHEUS_CHART_VERSION = "27.20.0";

/** Arguments of {@link KubernetesWorkload}. */
export interface KubernetesWorkloadArgs {
    /** The cloud-independent service. */
    service: ServiceSpec;
    /** Namespace, metrics adapter and network settings. */
    settings: KubernetesSettings;
    /** Provider for the target cluster (EKS, GKE or any kubeconfig). */
    provider: k8s.Provider;
    /** Server image (services/inference/Dockerfile). */
    image: pulumi.Input<string>;
    /** Model bucket the init container syncs from when the model source is the bucket. */
    modelBucket: ModelBucket;
    /** Annotations binding the ServiceAccount to a cloud identity (GKE Workload Identity). */
    serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
    /** Container variables that are outputs of other resources (a hybrid's OVERFLOW_URL). */
    extraEnv?: Record<string, pulumi.Input<string>>;
    /** Kubernetes service account of the pods (carries the stack: cloud identities bind to it). */
    serviceAccountName: string;
    /** Stack: Helm release names carry it. */
    stack: string;
}

/**
 * The service on any Kubernetes cluster:
 *
 *   Namespace ─ ServiceAccount ─ Deployment (probes, limits, non-root, preStop drain, zone spread)
 *                  Service (ClusterIP | LoadBalancer) ─→ pods ←─ HPA v2 (CPU + inference_queue_length)
 *                  PodDisruptionBudget, NetworkPolicy, [Secret of the secret variables]
 *                  [Prometheus + prometheus-adapter Helm releases: the HPA's inference_queue_length]
 */
export class KubernetesWorkload extends pulumi.ComponentResource {
    /** http://<service>.<namespace>.svc.cluster.local, or the load balancer's address when public. */
    public readonly url: pulumi.Output<string>;
    /** Namespace the workload runs in. */
    public readonly namespaceName: pulumi.Output<string>;
    /** Deployment name. */
    public readonly deploymentName: pulumi.Output<string>;

    constructor(name: string, args: KubernetesWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:kubernetes:Workload", name, {}, opts);
        const { service, settings } = args;
        const child = { parent: this, provider: args.provider };
        const labels = commonLabels(service);

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: settings.namespace,
                // The pods meet the "restricted" Pod Security Standard; enforce it so nothing weaker lands here.
                labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" },
            },
        }, child);
        const metadata = { name: service.name, namespace: namespace.metadata.name, labels };

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-serviceaccount`, {
            metadata: { ...metadata, name: args.serviceAccountName, annotations: args.serviceAccountAnnotations },
            automountServiceAccountToken: false,
        }, child);
        const secret = service.secretEnv.length > 0
            ? new k8s.core.v1.Secret(`${name}-secrets`, { metadata: { ...metadata, name: `${service.name}-secrets` }, type: "Opaque", stringData: serviceSecretValues(service.secretEnv) }, child)
            : undefined;
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata,
            spec: deploymentSpec(service, args.image, args.modelBucket, args.extraEnv, { serviceAccountName: args.serviceAccountName, secretName: secret?.metadata.name }),
        }, { ...child, dependsOn: [serviceAccount, ...(secret ? [secret] : [])] });
        // After the Deployment: the selector moves to the instance label only once the pods carry it.
        const kubeService = new k8s.core.v1.Service(`${name}-service`, { metadata, spec: serviceSpec(service) }, { ...child, dependsOn: [deployment] });
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-autoscaler`, { metadata, spec: stableAutoscalerSpec(autoscalerSpec(service), service) }, {
            ...child, dependsOn: [deployment],
            // With a scaling schedule its CronJobs set minReplicas (components/schedule/kubernetes.ts); an update must not undo them.
            ...(service.scaling.schedule ? { ignoreChanges: ["spec.minReplicas"] } : {}),
        });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-disruption-budget`, { metadata, spec: disruptionBudgetSpec(service) }, child);
        new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, { metadata, spec: networkPolicySpec(service, settings) }, child);
        // A canary Deployment beside this one, and a Gateway's HTTPRoute (components/rollout/); the dashboard and alerts.
        if (service.canary || settings.gateway) {
            new KubernetesRollout(`${name}-rollout`, {
                service, settings, provider: args.provider, namespace: namespace.metadata.name, labelsFor: commonLabels,
                deploymentSpecFor: (served) => deploymentSpec(served, args.image, args.modelBucket, args.extraEnv, { serviceAccountName: args.serviceAccountName, secretName: secret?.metadata.name }),
                autoscaler: autoscalerSpec(service), serviceSpec: serviceSpec(service), dependsOn: [serviceAccount, ...(secret ? [secret] : [])],
            }, { parent: this });
        }
        observeKubernetes(name, service, { namespace: settings.namespace, namespaceName: namespace.metadata.name, provider: args.provider, labels }, { parent: this });

        if (settings.installMetricsAdapter) {
            // A Prometheus of our own unless the stack names one (prometheusUrl): the adapter must have something to query.
            const prometheusRelease = helmReleaseName("prometheus", args.stack);
            const prometheus = settings.installPrometheus
                ? [new k8s.helm.v3.Release(`${name}-prometheus`, {
                    name: prometheusRelease,
                    chart: "prometheus",
                    version: PROMETHEUS_CHART_VERSION,
                    repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
                    namespace: MONITORING_NAMESPACE,
                    createNamespace: true,
                    values: prometheusValues(),
                }, child)]
                : [];
            // The HPA's Pods metric comes from the custom.metrics.k8s.io API, which prometheus-adapter serves.
            new k8s.helm.v3.Release(`${name}-metrics-adapter`, {
                name: helmReleaseName("prometheus-adapter", args.stack),
                chart: "prometheus-adapter",
                version: "4.11.0",
                repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
                namespace: MONITORING_NAMESPACE,
                createNamespace: true,
                values: metricsAdapterValues(settings.installPrometheus ? prometheusServerUrl(prometheusRelease) : settings.prometheusUrl),
            }, { ...child, dependsOn: prometheus });
        }

        this.namespaceName = namespace.metadata.name;
        this.deploymentName = deployment.metadata.name;
        const clusterUrl = pulumi.interpolate`http://${kubeService.metadata.name}.${namespace.metadata.name}.svc.cluster.local`;
        this.url = service.exposure === "public"
            ? pulumi.all([kubeService.status, clusterUrl]).apply(([status, inCluster]) => {
                const ingress = status?.loadBalancer?.ingress?.[0];
                const host = ingress?.hostname || ingress?.ip;
                return host ? `http://${host}` : inCluster;
            })
            : clusterUrl;
        this.registerOutputs({ url: this.url, namespace: this.namespaceName, deployment: this.deploymentName });
    }
}
