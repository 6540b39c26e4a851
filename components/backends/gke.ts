import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, physicalName, serviceAccountId, stackSlug } from "../naming";
import type { Platform } from "../spec";
import { execKubeconfig, existingClusterProvider } from "./cluster-access";

/** Arguments of {@link GkeCluster}. */
export interface GkeClusterArgs {
    /** GKE settings: region, project, cluster source, Autopilot or Standard. */
    platform: Extract<Platform, { backend: "gke" }>;
    /** Stack and service: the cluster and node pool names carry both (≤ 40 characters, GKE's limit). */
    stack: string;
    serviceName: string;
}

/**
 * The cluster a GKE stack deploys to: an existing one (kubeconfig or StackReference), or a new regional cluster,
 * Autopilot by default (Google runs the nodes; pods are billed by their requests) or Standard with an autoscaled
 * node pool. Both have Workload Identity, so pods can reach GCS without keys.
 */
export class GkeCluster extends pulumi.ComponentResource {
    /** Provider that deploys into the cluster. */
    public readonly provider: k8s.Provider;
    /** Cluster name (or the stack that owns it). */
    public readonly clusterName: pulumi.Output<string>;
    /** "<project>.svc.id.goog", known once the cluster (and so the project's Workload Identity pool) exists. */
    public readonly workloadPool: pulumi.Output<string>;
    /** Kubeconfig of a new cluster (gke-gcloud-auth-plugin), for stacks that deploy into it; undefined for existing clusters. */
    public readonly kubeconfig?: pulumi.Output<string>;

    constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:gke:Cluster", name, {}, opts);
        const { platform } = args;
        const existing = existingClusterProvider(name, platform.kubernetes.cluster, this);
        if (existing) {
            this.provider = existing.provider;
            this.clusterName = existing.clusterName;
            this.workloadPool = pulumi.output(`${platform.project}.svc.id.goog`);
            this.registerOutputs({ clusterName: this.clusterName });
            return;
        }

        const child = { parent: this };
        const autopilot = platform.gkeMode === "autopilot";
        const clusterName = physicalName([args.serviceName, stackSlug(args.stack)], NAME_LIMITS.gkeCluster);
        const cluster = new gcp.container.Cluster(`${name}-gke`, {
            name: clusterName,
            location: platform.region,
            project: platform.project,
            releaseChannel: { channel: "REGULAR" },
            // A backend switch must be able to remove the cluster; keep long-lived clusters in their own stack instead.
            deletionProtection: false,
            ipAllocationPolicy: {},
            ...(autopilot
                ? { enableAutopilot: true }
                : {
                    // The default pool cannot be autoscaled the way we need; replace it with our own.
                    removeDefaultNodePool: true,
                    initialNodeCount: 1,
                    workloadIdentityConfig: { workloadPool: `${platform.project}.svc.id.goog` },
                    // Dataplane V2 enforces NetworkPolicy (Autopilot always has it).
                    datapathProvider: "ADVANCED_DATAPATH",
                }),
        }, child);

        const dependsOn: pulumi.Resource[] = [cluster];
        if (!autopilot) {
            dependsOn.push(new gcp.container.NodePool(`${name}-nodes`, {
                name: physicalName([args.serviceName, stackSlug(args.stack), "nodes"], NAME_LIMITS.gkeNodePool),
                cluster: cluster.name,
                location: platform.region,
                project: platform.project,
                // Totals across the region's zones, not per zone.
                autoscaling: { totalMinNodeCount: platform.nodeCount.min, totalMaxNodeCount: platform.nodeCount.max, locationPolicy: "BALANCED" },
                management: { autoRepair: true, autoUpgrade: true },
                nodeConfig: {
                    machineType: platform.nodeMachineType,
                    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                    workloadMetadataConfig: { mode: "GKE_METADATA" },
                    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                },
            }, child));
        }

        const kubeconfig = execKubeconfig({
            clusterName: cluster.name,
            endpoint: cluster.endpoint,
            caData: cluster.masterAuth.clusterCaCertificate.apply((ca) => ca ?? ""),
            exec: { command: "gke-gcloud-auth-plugin", args: [] },
        });
        this.kubeconfig = pulumi.secret(kubeconfig);
        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: this.kubeconfig }, { ...child, dependsOn });
        this.clusterName = cluster.name;
        // Read from the cluster, so whatever binds a Kubernetes identity waits until the pool exists.
        this.workloadPool = pulumi.all([cluster.id, cluster.workloadIdentityConfig]).apply(([, config]) => config?.workloadPool ?? `${platform.project}.svc.id.goog`);
        this.registerOutputs({ clusterName: this.clusterName });
    }
}

/** Arguments of {@link GkePodIdentity}. */
export interface GkePodIdentityArgs {
    /** GCP project of the cluster. */
    project: string;
    /** Namespace of the Kubernetes service account. */
    namespace: string;
    /** Kubernetes service account the pods run as (carries the stack, so the Workload Identity subject is the stack's own). */
    serviceAccount: string;
    /** The cluster's Workload Identity pool ("<project>.svc.id.goog"); an output of the cluster, so the binding waits for it. */
    workloadPool: pulumi.Input<string>;
    /** Stack, for the Google service account id. */
    stack: string;
    /** Service name, the start of the Google service account id. */
    serviceName: string;
    /** Bucket the pods sync the model from (bucket-sourced models). */
    readBucket?: pulumi.Input<string>;
    /** Cloud Run service the pods may invoke (a hybrid's overflow): roles/run.invoker on that service only. */
    invokeRunService?: { name: pulumi.Input<string>; location: string };
}

/**
 * GKE Workload Identity: a Google service account that the pods' Kubernetes service account impersonates
 * (annotation iam.gke.io/gcp-service-account), granted exactly what the pods need: read of the model bucket and/or
 * invoke of the hybrid overflow.
 */
export class GkePodIdentity extends pulumi.ComponentResource {
    /** Annotations for the Kubernetes service account. */
    public readonly serviceAccountAnnotations: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GkePodIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token is the one the model-reader-only version had, so existing stacks keep their resources.
        super("model-serving:gke:ModelReader", name, {}, opts);
        const child = { parent: this };
        const account = new gcp.serviceaccount.Account(`${name}-identity`, {
            accountId: serviceAccountId(args.serviceName, args.readBucket ? "models" : "pods", args.stack),
            displayName: `${args.serviceAccount} pods (GKE Workload Identity)`,
            project: args.project,
        }, child);
        const member = pulumi.interpolate`serviceAccount:${account.email}`;
        if (args.readBucket) {
            new gcp.storage.BucketIAMMember(`${name}-read`, { bucket: args.readBucket, role: "roles/storage.objectViewer", member }, child);
        }
        if (args.invokeRunService) {
            new gcp.cloudrunv2.ServiceIamMember(`${name}-invoke-overflow`, {
                name: args.invokeRunService.name, location: args.invokeRunService.location, project: args.project, role: "roles/run.invoker", member,
            }, child);
        }
        new gcp.serviceaccount.IAMMember(`${name}-workload-identity`, {
            serviceAccountId: account.name,
            role: "roles/iam.workloadIdentityUser",
            member: pulumi.interpolate`serviceAccount:${args.workloadPool}[${args.namespace}/${args.serviceAccount}]`,
        }, child);
        this.serviceAccountAnnotations = { "iam.gke.io/gcp-service-account": account.email };
        this.registerOutputs({ email: account.email });
    }
}
