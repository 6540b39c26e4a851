import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../spec";
import { AwsNetwork } from "./aws-network";
import { execKubeconfig, existingClusterProvider } from "./cluster-access";

/** Arguments of {@link EksCluster}. */
export interface EksClusterArgs {
    /** EKS settings: region, cluster source, node type and count. */
    platform: Extract<Platform, { backend: "eks" }>;
    /** Name of a new cluster (unique per account and region, so it carries the stack). */
    clusterName: string;
    /**
     * When set, the service account whose pods get this IAM policy through EKS Pod Identity (model bucket read,
     * a hybrid's invoke of its Lambda overflow).
     */
    podRole?: { namespace: string; serviceAccount: string; policy: pulumi.Input<string> };
}

/** Kubernetes version of new clusters; EKS standard support covers it and it has native preStop sleep. */
export const EKS_VERSION = "1.33";

/**
 * The cluster an EKS stack deploys to: an existing one (kubeconfig or StackReference), or a new one:
 *
 *   AwsNetwork (VPC, private subnets) ─ EKS control plane (cluster role) ─ managed node group (node role, private subnets)
 *                                        └ Pod Identity agent ─ role of the pods (model bucket read, hybrid overflow invoke)
 */
export class EksCluster extends pulumi.ComponentResource {
    /** Provider that deploys into the cluster. */
    public readonly provider: k8s.Provider;
    /** Cluster name (or the stack that owns it). */
    public readonly clusterName: pulumi.Output<string>;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:eks:Cluster", name, {}, opts);
        const { platform } = args;
        const existing = existingClusterProvider(name, platform.kubernetes.cluster, this);
        if (existing) {
            if (args.podRole) throw new pulumi.ResourceError("EksCluster: podRole needs a new cluster (Pod Identity is set up with it)", this);
            this.provider = existing.provider;
            this.clusterName = existing.clusterName;
            this.registerOutputs({ clusterName: this.clusterName });
            return;
        }

        const region = platform.region;
        const child = { parent: this };
        const network = new AwsNetwork(`${name}-network`, { region, clusterName: args.clusterName, zoneCount: 2 }, child);
        const role = (roleName: string, service: string, policies: string[]) => {
            const created = new aws.iam.Role(`${name}-${roleName}`, {
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
            }, child);
            const attachments = policies.map((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${roleName}-${i}`, { role: created.name, policyArn }, child));
            return { role: created, attachments };
        };

        const clusterRole = role("cluster-role", "eks.amazonaws.com", [aws.iam.ManagedPolicy.AmazonEKSClusterPolicy]);
        const cluster = new aws.eks.Cluster(`${name}-eks`, {
            name: args.clusterName,
            roleArn: clusterRole.role.arn,
            version: EKS_VERSION,
            vpcConfig: { subnetIds: network.privateSubnetIds, endpointPrivateAccess: true, endpointPublicAccess: true },
            // Access entries, and the identity running `pulumi up` becomes admin so the Kubernetes provider can deploy.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            region,
        }, { ...child, dependsOn: clusterRole.attachments });

        const nodeRole = role("node-role", "ec2.amazonaws.com", [
            aws.iam.ManagedPolicy.AmazonEKSWorkerNodePolicy,
            aws.iam.ManagedPolicy.AmazonEKS_CNI_Policy,
            aws.iam.ManagedPolicy.AmazonEC2ContainerRegistryReadOnly,
        ]);
        const nodes = new aws.eks.NodeGroup(`${name}-nodes`, {
            clusterName: cluster.name,
            nodeRoleArn: nodeRole.role.arn,
            subnetIds: network.privateSubnetIds,
            instanceTypes: [platform.nodeInstanceType],
            amiType: /^[a-z]+\d+g/.test(platform.nodeInstanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            scalingConfig: { minSize: platform.nodeCount.min, desiredSize: platform.nodeCount.min, maxSize: platform.nodeCount.max },
            updateConfig: { maxUnavailable: 1 },
            region,
        }, { ...child, dependsOn: nodeRole.attachments });

        // EKS installs the VPC CNI without NetworkPolicy enforcement; turn it on so the workload's policy applies.
        new aws.eks.Addon(`${name}-vpc-cni`, {
            clusterName: cluster.name,
            addonName: "vpc-cni",
            configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            region,
        }, child);
        if (args.podRole) this.grantPodRole(name, cluster, nodes, args.podRole, region);

        const kubeconfig = execKubeconfig({
            clusterName: cluster.name,
            endpoint: cluster.endpoint,
            caData: cluster.certificateAuthority.data,
            exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", region] },
        });
        // Deploy only once nodes exist, so Deployments roll out instead of waiting on Pending pods.
        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: pulumi.secret(kubeconfig) }, { ...child, dependsOn: [nodes] });
        this.clusterName = cluster.name;
        this.registerOutputs({ clusterName: this.clusterName });
    }

    /**
     * EKS Pod Identity: the agent add-on, a role pods can assume, and its association with the service account.
     * The logical names keep "model-reader", its first use, so existing stacks do not replace the role.
     */
    private grantPodRole(name: string, cluster: aws.eks.Cluster, nodes: aws.eks.NodeGroup, reader: NonNullable<EksClusterArgs["podRole"]>, region: string): void {
        const child = { parent: this };
        // The agent is a DaemonSet: without nodes the add-on never becomes healthy.
        new aws.eks.Addon(`${name}-pod-identity-agent`, { clusterName: cluster.name, addonName: "eks-pod-identity-agent", region }, { ...child, dependsOn: [nodes] });
        const role = new aws.iam.Role(`${name}-model-reader`, {
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
        }, child);
        new aws.iam.RolePolicy(`${name}-model-reader`, { role: role.id, policy: reader.policy }, child);
        new aws.eks.PodIdentityAssociation(`${name}-model-reader`, {
            clusterName: cluster.name, namespace: reader.namespace, serviceAccount: reader.serviceAccount, roleArn: role.arn, region,
        }, child);
    }
}
