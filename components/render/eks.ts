import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../backends/aws-artifacts";
import { EksCluster } from "../backends/eks";
import { MODEL_SYNC_IMAGES } from "../backends/kubernetes-objects";
import { podServiceAccountName, stackScopedName } from "../naming";
import type { Platform } from "../spec";
import { childOf, type RenderContext, type Rendered } from "./context";
import { nodeArchitecture, renderWorkload, type BaselineWiring } from "./kubernetes";

type EksPlatform = Extract<Platform, { backend: "eks" }>;

/**
 * eks → the stack's ECR repository and model bucket, the server image for the nodes' architecture (built here unless
 * `image` names one), EksCluster (new or existing; Pod Identity for model read and a hybrid's overflow invoke),
 * KubernetesWorkload and its scaling schedule.
 */
export function renderEks(ctx: RenderContext, platform: EksPlatform, wiring?: BaselineWiring, scheduleOpts?: pulumi.ComponentResourceOptions): Rendered {
    const { service } = ctx;
    const artifacts = ctx.artifacts.awsArtifacts(platform.region);
    const architecture = nodeArchitecture("eks", platform.nodeInstanceType);
    const image = ctx.artifacts.awsImage(platform.region, "server", architecture, service.image);
    const serviceAccount = podServiceAccountName(service.name, ctx.stack);
    const readsBucket = service.model.artifact.source === "bucket";
    const statements = [
        ...(readsBucket ? [artifacts.modelReadStatements()] : []),
        ...(wiring?.podStatements ? [wiring.podStatements] : []),
    ];
    const cluster = new EksCluster(`${ctx.name}-cluster`, {
        platform,
        architecture,
        clusterName: stackScopedName(service.name, ctx.stack),
        podRole: statements.length > 0
            ? { namespace: platform.kubernetes.namespace, serviceAccount, policy: pulumi.all(statements).apply(policyDocument) }
            : undefined,
        stack: ctx.stack,
    }, childOf(ctx));
    return renderWorkload(ctx, {
        settings: platform.kubernetes, cluster, image, serviceAccount,
        modelBucket: {
            url: pulumi.interpolate`s3://${artifacts.modelBucket.bucket}`, cloud: "aws",
            syncImage: readsBucket ? ctx.artifacts.awsMirror(platform.region, "model-sync", MODEL_SYNC_IMAGES.aws, architecture) : undefined,
        },
        names: { repository: artifacts.repository.name, modelBucket: artifacts.modelBucket.bucket },
    }, wiring, scheduleOpts);
}
