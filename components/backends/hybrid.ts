import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { HybridPlatform, ServiceSpec } from "../spec";
import { AwsArtifacts } from "./aws-artifacts";
import { CloudRunService } from "./cloudrun";
import { EksCluster } from "./eks";
import { GcpArtifacts } from "./gcp-artifacts";
import { GkeCluster, GkePodIdentity } from "./gke";
import { KubernetesWorkload } from "./kubernetes";
import { LambdaService } from "./lambda";

/**
 * The serverless copy's spec: the same service, scaled to zero between bursts (it only takes what the baseline
 * cannot), up to the same maximum; a scaling schedule is for the baseline's HPA only. It stays private even when
 * the baseline is public: only the pods call it.
 */
export function overflowServiceSpec(service: ServiceSpec): ServiceSpec {
    const { max, cpuTargetPercent, queueLengthTarget, concurrency } = service.scaling;
    return { ...service, exposure: "private", scaling: { min: 0, max, cpuTargetPercent, queueLengthTarget, concurrency } };
}

/** The pods' overflow variables (services/inference/src/overflow.ts); 0 leaves the threshold at the service's queue bound. */
export function overflowEnvironment(platform: HybridPlatform, overflowUrl: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return {
        OVERFLOW_URL: overflowUrl,
        OVERFLOW_AUTH: platform.overflow.backend === "lambda" ? "aws-iam" : "gcp-id-token",
        ...(platform.queueThreshold > 0 ? { OVERFLOW_QUEUE_THRESHOLD: String(platform.queueThreshold) } : {}),
    };
}

/**
 * IAM policy of the EKS pods: invoke this one Function URL (alias ARN), with IAM auth only. Function URLs created
 * since October 2025 also need lambda:InvokeFunction, limited here to calls that come through the URL.
 */
export function lambdaUrlInvokePolicy(aliasArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "lambda:InvokeFunctionUrl", Resource: aliasArn, Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } } },
            { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: aliasArn, Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } } },
        ],
    });
}

/** Arguments of {@link HybridService}. */
export interface HybridServiceArgs {
    /** The cloud-independent service; both sides run it. */
    service: ServiceSpec;
    /** Baseline cluster, overflow settings and threshold. */
    platform: HybridPlatform;
    /** Name of registries and a new cluster (carries the stack). */
    stackScopedName: string;
    /** The image reference for a repository URL (the stack's registry, or the configured image). */
    imageOf: (repositoryUrl: pulumi.Output<string>) => pulumi.Output<string>;
}

/**
 * Kubernetes baseline plus a private serverless overflow, from the same spec, composed of the single-backend modules:
 *
 *   eks → AwsArtifacts + LambdaService (private Function URL) + EksCluster (Pod Identity role: invoke that URL) + KubernetesWorkload
 *   gke → GcpArtifacts + CloudRunService (no invokers) + GkeCluster + GkePodIdentity (run.invoker on it) + KubernetesWorkload
 *
 * The pods get OVERFLOW_URL / OVERFLOW_AUTH and forward when their wait queue reaches the threshold.
 */
export class HybridService extends pulumi.ComponentResource {
    /** The baseline's URL (in-cluster, or the load balancer's when public). */
    public readonly url: pulumi.Output<string>;
    /** The overflow's URL (private: callers need the pods' identity). */
    public readonly overflowUrl: pulumi.Output<string>;
    /** Image of the Kubernetes pods (the Lambda overflow runs the same tag with a -lambda suffix). */
    public readonly image: pulumi.Output<string>;
    /** Provider of the baseline cluster (for scheduled scaling of its HPA). */
    public readonly provider: k8s.Provider;
    /** The baseline workload. */
    public readonly workload: KubernetesWorkload;
    /** Names of the main resources. */
    public readonly resourceNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: HybridServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:hybrid:Service", name, {}, opts);
        const { service, platform, stackScopedName } = args;
        const { baseline, overflow } = platform;
        const child = { parent: this };
        const overflowSpec = overflowServiceSpec(service);
        const { namespace } = baseline.kubernetes;
        const podServiceAccount = service.name;

        if (baseline.backend === "eks" && overflow.backend === "lambda") {
            const artifacts = new AwsArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region }, child);
            this.image = args.imageOf(artifacts.repository.repositoryUrl);
            const lambda = new LambdaService(`${name}-overflow`, {
                service: overflowSpec, region: platform.region, imageUri: pulumi.interpolate`${this.image}-lambda`,
                modelReadPolicy: artifacts.modelReadPolicy(), architecture: overflow.architecture, endpoint: "function-url", logRetentionDays: overflow.logRetentionDays,
            }, child);
            this.overflowUrl = lambda.url;
            const cluster = new EksCluster(`${name}-cluster`, {
                platform: baseline, clusterName: stackScopedName,
                podRole: { namespace, serviceAccount: podServiceAccount, policy: lambda.alias.arn.apply(lambdaUrlInvokePolicy) },
            }, child);
            this.provider = cluster.provider;
            this.workload = new KubernetesWorkload(`${name}-workload`, {
                service, settings: baseline.kubernetes, provider: cluster.provider, image: this.image,
                modelBucket: { url: pulumi.interpolate`s3://${artifacts.modelBucket.bucket}`, cloud: "aws" },
                extraEnv: overflowEnvironment(platform, lambda.url),
            }, child);
            this.resourceNames = {
                repository: artifacts.repository.name, modelBucket: artifacts.modelBucket.bucket, cluster: cluster.clusterName,
                namespace: this.workload.namespaceName, deployment: this.workload.deploymentName, overflowFunction: lambda.function.name,
            };
        } else if (baseline.backend === "gke" && overflow.backend === "cloudrun") {
            const artifacts = new GcpArtifacts(`${name}-artifacts`, { serviceName: service.name, repositoryName: stackScopedName, region: platform.region, project: baseline.project }, child);
            this.image = args.imageOf(artifacts.repositoryUrl);
            // No invokers from the config: the pods' identity below is the only one allowed to call it.
            const run = new CloudRunService(`${name}-overflow`, {
                service: overflowSpec, platform: { ...overflow, invokers: [] }, image: this.image, modelBucket: artifacts.modelBucket.name,
            }, child);
            this.overflowUrl = run.url;
            const cluster = new GkeCluster(`${name}-cluster`, { platform: baseline }, child);
            this.provider = cluster.provider;
            const identity = new GkePodIdentity(`${name}-pod-identity`, {
                project: baseline.project, namespace, serviceAccount: podServiceAccount,
                readBucket: service.model.artifact.source === "bucket" ? artifacts.modelBucket.name : undefined,
                invokeRunService: { name: run.service.name, location: platform.region },
            }, child);
            this.workload = new KubernetesWorkload(`${name}-workload`, {
                service, settings: baseline.kubernetes, provider: cluster.provider, image: this.image,
                modelBucket: { url: pulumi.interpolate`gs://${artifacts.modelBucket.name}`, cloud: "gcp" },
                serviceAccountAnnotations: identity.serviceAccountAnnotations,
                extraEnv: overflowEnvironment(platform, run.url),
            }, child);
            this.resourceNames = {
                repository: artifacts.repository.repositoryId, modelBucket: artifacts.modelBucket.name, cluster: cluster.clusterName,
                namespace: this.workload.namespaceName, deployment: this.workload.deploymentName, overflowService: run.service.name,
            };
        } else {
            throw new pulumi.ResourceError(`HybridService: baseline ${baseline.backend} with overflow ${overflow.backend} is not a pair (eks+lambda, gke+cloudrun)`, this);
        }
        this.url = this.workload.url;
        this.registerOutputs({ url: this.url, overflowUrl: this.overflowUrl });
    }
}
