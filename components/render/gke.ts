import * as pulumi from "@pulumi/pulumi";
import { GkeCluster, GkePodIdentity } from "../backends/gke";
import { MODEL_SYNC_IMAGES } from "../backends/kubernetes-objects";
import { podServiceAccountName } from "../naming";
import type { Platform } from "../spec";
import { childOf, type RenderContext, type Rendered } from "./context";
import { nodeArchitecture, renderWorkload, type BaselineWiring } from "./kubernetes";

type GkePlatform = Extract<Platform, { backend: "gke" }>;

/**
 * gke → the stack's Artifact Registry repository and GCS bucket, the server image (built here unless `image` names
 * one), GkeCluster (new or existing), GkePodIdentity when the pods read the bucket or invoke a hybrid's overflow,
 * KubernetesWorkload and its scaling schedule. The identity's binding waits for the cluster (its Workload Identity
 * pool exists only then), and the workload waits for the binding.
 */
export function renderGke(ctx: RenderContext, platform: GkePlatform, wiring?: BaselineWiring, scheduleOpts?: pulumi.ComponentResourceOptions): Rendered {
    const { service } = ctx;
    const artifacts = ctx.artifacts.gcpArtifacts(platform.region, platform.project);
    const architecture = nodeArchitecture("gke", platform.gkeMode === "standard" ? platform.nodeMachineType : undefined);
    const image = ctx.artifacts.gcpImage(platform.region, platform.project, "server", architecture, service.image);
    const cluster = new GkeCluster(`${ctx.name}-cluster`, { platform, stack: ctx.stack, serviceName: service.name }, childOf(ctx));
    const serviceAccount = podServiceAccountName(service.name, ctx.stack);
    const readsBucket = service.model.artifact.source === "bucket";
    // "<name>-model-reader" was its name when it only read the bucket; a hybrid's was "<name>-pod-identity".
    const identity = readsBucket || wiring?.invokeRunService
        ? new GkePodIdentity(`${ctx.name}-${wiring ? "pod-identity" : "model-reader"}`, {
            project: platform.project, namespace: platform.kubernetes.namespace, serviceAccount, stack: ctx.stack, serviceName: service.name,
            readBucket: readsBucket ? artifacts.modelBucket.name : undefined,
            invokeRunService: wiring?.invokeRunService,
            workloadPool: cluster.workloadPool,
        }, childOf(ctx))
        : undefined;
    return renderWorkload(ctx, {
        settings: platform.kubernetes, cluster, image, serviceAccount,
        modelBucket: {
            url: pulumi.interpolate`gs://${artifacts.modelBucket.name}`, cloud: "gcp",
            syncImage: readsBucket ? ctx.artifacts.gcpMirror(platform.region, platform.project, "model-sync", MODEL_SYNC_IMAGES.gcp, architecture) : undefined,
        },
        serviceAccountAnnotations: identity?.serviceAccountAnnotations,
        dependsOn: identity ? [identity] : [],
        names: { repository: artifacts.repository.repositoryId, modelBucket: artifacts.modelBucket.name },
    }, wiring, scheduleOpts);
}
