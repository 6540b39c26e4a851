import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsArtifacts } from "./backends/aws-artifacts";
import { CloudRunService } from "./backends/cloudrun";
import { EksCluster } from "./backends/eks";
import { GcpArtifacts } from "./backends/gcp-artifacts";
import { GkeCluster, GkePodIdentity } from "./backends/gke";
import { HybridService } from "./backends/hybrid";
import { KubernetesWorkload } from "./backends/kubernetes";
import { LambdaService } from "./backends/lambda";
import { ScheduledMinInstances } from "./schedule/cloudrun";
import { ScheduledHpaMinimum } from "./schedule/kubernetes";
import { ScheduledProvisionedConcurrency } from "./schedule/lambda";
import * as naming from "./naming";
import { specProblems } from "./validate";
import type { Platform, ServiceSpec } from "./spec";

/** Arguments of {@link ModelService}. */
export interface ModelServiceArgs {
    /** The service, independent of any cloud: model, image, resources, scaling, exposure, residency, env. */
    service: ServiceSpec;
    /** Where it runs: the backend and its settings (from the stack config). */
    platform: Platform;
}

/**
 * One ML inference service, declared once and rendered on the backend the platform names:
 *
 *   eks      → AwsArtifacts (ECR, S3) + EksCluster (new or existing) + KubernetesWorkload
 *   gke      → GcpArtifacts (Artifact Registry, GCS) + GkeCluster (new or existing) + KubernetesWorkload
 *   cloudrun → GcpArtifacts + CloudRunService
 *   lambda   → AwsArtifacts + LambdaService
 *   hybrid   → HybridService: the eks or gke rendering plus a private Lambda / Cloud Run overflow the pods forward to
 */
export class ModelService extends pulumi.ComponentResource {
    /** Where callers reach the service (in-cluster DNS name for private Kubernetes services). */
    public readonly url: pulumi.Output<string>;
    /** hybrid only: the private serverless overflow the pods forward to; undefined on other backends. */
    public readonly overflowUrl?: pulumi.Output<string>;
    /** Backend it runs on. */
    public readonly backend: string;
    /** Cloud region it runs in. */
    public readonly region: string;
    /** Served model version. */
    public readonly modelVersion: string;
    /** Image reference the service runs: push to it before `pulumi up` creates the workload. */
    public readonly image: pulumi.Output<string>;
    /** Names of the main resources (registry, bucket, cluster, workload), for outputs and runbooks. */
    public readonly resourceNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ModelServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:index:ModelService", name, {}, opts);
        const problems = specProblems(args.service, args.platform);
        if (problems.length > 0) throw new pulumi.ResourceError(`ModelService ${name}: ${problems.join("; ")}`, this);

        const { service, platform } = args;
        this.backend = platform.backend;
        this.region = platform.region;
        this.modelVersion = service.model.version;
        const child = { parent: this };
        const stackScopedName = naming.stackScopedName(service.name, pulumi.getStack());
        // The stack's own registry unless the config names an image elsewhere.
        const imageOf = (repositoryUrl: pulumi.Output<string>) =>
            service.image ? pulumi.output(service.image) : pulumi.interpolate`${repositoryUrl}:${service.imageTag}`;

        switch (platform.backend) {
            case "lambda": {
                const artifacts = new AwsArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region }, child);
                const image = this.image = imageOf(artifacts.repository.repositoryUrl);
                const lambda = new LambdaService(`${name}-lambda`, {
                    service, region: platform.region, imageUri: image,
                    modelReadPolicy: artifacts.modelReadPolicy(), architecture: platform.architecture,
                    endpoint: platform.endpoint, logRetentionDays: platform.logRetentionDays,
                }, child);
                this.url = lambda.url;
                if (service.scaling.schedule) {
                    new ScheduledProvisionedConcurrency(`${name}-schedule`, {
                        functionName: lambda.function.name, aliasName: lambda.alias.name, schedule: service.scaling.schedule, region: platform.region,
                    }, child);
                }
                this.resourceNames = namesOf({
                    repository: artifacts.repository.name, modelBucket: artifacts.modelBucket.bucket,
                    function: lambda.function.name, alias: lambda.alias.name,
                });
                break;
            }
            case "cloudrun": {
                const artifacts = new GcpArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region, project: platform.project }, child);
                const image = this.image = imageOf(artifacts.repositoryUrl);
                const run = new CloudRunService(`${name}-run`, {
                    service, platform, image, modelBucket: artifacts.modelBucket.name,
                }, child);
                this.url = run.url;
                if (service.scaling.schedule) {
                    new ScheduledMinInstances(`${name}-schedule`, {
                        project: platform.project, region: platform.region, serviceName: run.service.name,
                        runtimeServiceAccountEmail: run.serviceAccount.email, schedule: service.scaling.schedule, accountPrefix: service.name,
                    }, child);
                }
                this.resourceNames = namesOf({
                    repository: artifacts.repository.repositoryId, modelBucket: artifacts.modelBucket.name,
                    service: run.service.name, serviceAccount: run.serviceAccount.email,
                });
                break;
            }
            case "eks": {
                const artifacts = new AwsArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region }, child);
                const image = this.image = imageOf(artifacts.repository.repositoryUrl);
                const fromBucket = service.model.artifact.source === "bucket";
                const cluster = new EksCluster(`${name}-cluster`, {
                    platform,
                    clusterName: stackScopedName,
                    podRole: fromBucket ? { namespace: platform.kubernetes.namespace, serviceAccount: service.name, policy: artifacts.modelReadPolicy() } : undefined,
                }, child);
                const workload = new KubernetesWorkload(`${name}-workload`, {
                    service, settings: platform.kubernetes, provider: cluster.provider, image,
                    modelBucket: { url: pulumi.interpolate`s3://${artifacts.modelBucket.bucket}`, cloud: "aws" },
                }, child);
                this.url = workload.url;
                scheduleHpaMinimum(name, service, workload.namespaceName, cluster.provider, child);
                this.resourceNames = namesOf({
                    repository: artifacts.repository.name, modelBucket: artifacts.modelBucket.bucket, cluster: cluster.clusterName,
                    namespace: workload.namespaceName, deployment: workload.deploymentName,
                });
                break;
            }
            case "gke": {
                const artifacts = new GcpArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region, project: platform.project }, child);
                const image = this.image = imageOf(artifacts.repositoryUrl);
                const cluster = new GkeCluster(`${name}-cluster`, { platform }, child);
                const reader = service.model.artifact.source === "bucket"
                    ? new GkePodIdentity(`${name}-model-reader`, {
                        project: platform.project, readBucket: artifacts.modelBucket.name, namespace: platform.kubernetes.namespace, serviceAccount: service.name,
                    }, child)
                    : undefined;
                const workload = new KubernetesWorkload(`${name}-workload`, {
                    service, settings: platform.kubernetes, provider: cluster.provider, image,
                    modelBucket: { url: pulumi.interpolate`gs://${artifacts.modelBucket.name}`, cloud: "gcp" },
                    serviceAccountAnnotations: reader?.serviceAccountAnnotations,
                }, child);
                this.url = workload.url;
                scheduleHpaMinimum(name, service, workload.namespaceName, cluster.provider, child);
                this.resourceNames = namesOf({
                    repository: artifacts.repository.repositoryId, modelBucket: artifacts.modelBucket.name, cluster: cluster.clusterName,
                    namespace: workload.namespaceName, deployment: workload.deploymentName,
                });
                break;
            }
            case "hybrid": {
                const hybrid = new HybridService(`${name}-hybrid`, { service, platform, stackScopedName, imageOf }, child);
                this.image = hybrid.image;
                this.url = hybrid.url;
                this.overflowUrl = hybrid.overflowUrl;
                scheduleHpaMinimum(name, service, hybrid.workload.namespaceName, hybrid.provider, child);
                this.resourceNames = namesOf(hybrid.resourceNames);
                break;
            }
        }
        this.registerOutputs({ overflowUrl: this.overflowUrl, image: this.image, url: this.url, backend: this.backend, region: this.region, modelVersion: this.modelVersion, resourceNames: this.resourceNames });
    }
}

/** Kubernetes backends raise and lower the HPA's minReplicas on the service's schedule, if it has one. */
function scheduleHpaMinimum(name: string, service: ServiceSpec, namespace: pulumi.Output<string>, provider: k8s.Provider, child: pulumi.ComponentResourceOptions): void {
    if (!service.scaling.schedule) return;
    new ScheduledHpaMinimum(`${name}-schedule`, {
        namespace, hpaName: service.name, schedule: service.scaling.schedule, provider,
        labels: { "app.kubernetes.io/name": `${service.name}-schedule`, "app.kubernetes.io/part-of": service.name, "app.kubernetes.io/managed-by": "pulumi" },
    }, child);
}

/** Resource names as one output; the record type keeps stack outputs uniform across backends. */
function namesOf(names: Record<string, pulumi.Input<string>>): pulumi.Output<Record<string, string>> {
    return pulumi.output(names);
}
