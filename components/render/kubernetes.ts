import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { nodeTypes } from "../../policies/platform/instance-types";
import type { ImageArchitecture } from "../backends/image";
import { KubernetesWorkload } from "../backends/kubernetes";
import type { ModelBucket } from "../backends/kubernetes-objects";
import { ScheduledHpaMinimum } from "../schedule/kubernetes";
import type { KubernetesSettings } from "../spec";
import { childOf, type RenderContext, type Rendered } from "./context";

/** What a hybrid adds to its Kubernetes baseline: the overflow's variables and the pods' right to invoke it. */
export interface BaselineWiring {
    /** OVERFLOW_URL / OVERFLOW_AUTH / OVERFLOW_QUEUE_THRESHOLD for the pods. */
    env: Record<string, pulumi.Input<string>>;
    /** eks: IAM statements (JSON array) the pods' Pod Identity role gets besides model read. */
    podStatements?: pulumi.Input<string>;
    /** gke: the Cloud Run service the pods' Workload Identity account may invoke. */
    invokeRunService?: { name: pulumi.Input<string>; location: string };
}

/** Kubernetes backends raise and lower the HPA's minReplicas on the service's schedule, if it has one. */
export function scheduleHpaMinimum(
    ctx: RenderContext, namespace: pulumi.Output<string>, provider: k8s.Provider, image: pulumi.Input<string>, opts: pulumi.ComponentResourceOptions = {},
): void {
    const service = { ...ctx.service, name: ctx.kubernetesName };
    if (!service.scaling.schedule) return;
    new ScheduledHpaMinimum(`${ctx.name}-schedule`, {
        namespace, hpaName: service.name, schedule: service.scaling.schedule, provider, image,
        labels: { "app.kubernetes.io/name": `${service.name}-schedule`, "app.kubernetes.io/part-of": service.name, "app.kubernetes.io/managed-by": "pulumi" },
    }, childOf(ctx, opts));
}

/** The CPU architecture of a node type (the platform table), x86-64 for types it does not list and for Autopilot. */
export function nodeArchitecture(platform: "eks" | "gke", nodeType: string | undefined): ImageArchitecture {
    return (nodeType && nodeTypes(platform)[nodeType]?.arch) || "x86_64";
}

/** What an eks or gke render hands the shared workload step. */
export interface WorkloadInputs {
    settings: KubernetesSettings;
    cluster: { provider: k8s.Provider; clusterName: pulumi.Output<string>; kubeconfig?: pulumi.Output<string> };
    image: pulumi.Output<string>;
    serviceAccount: string;
    modelBucket: ModelBucket;
    serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
    /** What the workload must wait for (the Workload Identity binding). */
    dependsOn?: pulumi.Resource[];
    /** Registry and bucket names for the outputs. */
    names: { repository: pulumi.Input<string>; modelBucket: pulumi.Input<string> };
}

/** The KubernetesWorkload (named after the service's current name), its scaling schedule and the render's outputs. */
export function renderWorkload(ctx: RenderContext, inputs: WorkloadInputs, wiring?: BaselineWiring, scheduleOpts?: pulumi.ComponentResourceOptions): Rendered {
    const { cluster, image } = inputs;
    const workload = new KubernetesWorkload(`${ctx.name}-workload`, {
        service: { ...ctx.service, name: ctx.kubernetesName }, settings: inputs.settings, provider: cluster.provider, image,
        serviceAccountName: inputs.serviceAccount, stack: ctx.stack, modelBucket: inputs.modelBucket,
        serviceAccountAnnotations: inputs.serviceAccountAnnotations, extraEnv: wiring?.env,
    }, childOf(ctx, { dependsOn: inputs.dependsOn ?? [] }));
    scheduleHpaMinimum(ctx, workload.namespaceName, cluster.provider, image, scheduleOpts);
    return {
        url: workload.url, image, kubeconfig: cluster.kubeconfig,
        resourceNames: { ...inputs.names, cluster: cluster.clusterName, namespace: workload.namespaceName, deployment: workload.deploymentName },
    };
}
