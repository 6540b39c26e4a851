import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, physicalName } from "../naming";
import type { EksAccess, Platform } from "../spec";
import { AwsNetwork } from "./aws-network";
import { execKubeconfig, existingClusterProvider } from "./cluster-access";
import { EksAutoscaling } from "./eks-autoscaling";
import type { ImageArchitecture } from "./image";

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
    /** Architecture of the node type (selects the AMI; the image is built for the same). */
    architecture: ImageArchitecture;
    /** Stack: Helm release names carry it. */
    stack: string;
}

/** EKS cluster-admin access policy, granted to the configured admin / deployer roles through access entries. */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** `aws eks get-token` arguments and environment for a kubeconfig, with the configured role and profile. */
export function getTokenExec(clusterName: string, region: string, access: EksAccess | undefined): { args: string[]; env: { name: string; value: string }[] } {
    return {
        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, ...(access?.kubeconfigRoleArn ? ["--role-arn", access.kubeconfigRoleArn] : [])],
        env: access?.kubeconfigProfile ? [{ name: "AWS_PROFILE", value: access.kubeconfigProfile }] : [],
    };
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
    /** Kubeconfig of a new cluster (aws eks get-token with the configured profile / role), for stacks that deploy into it. */
    public readonly kubeconfig?: pulumi.Output<string>;

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
                name: physicalName([args.clusterName, roleName], NAME_LIMITS.iamRole),
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
            }, child);
            const attachments = policies.map((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${roleName}-${i}`, { role: created.name, policyArn }, child));
            return { role: created, attachments };
        };

        const clusterRole = role("cluster-role", "eks.amazonaws.com", [aws.iam.ManagedPolicy.AmazonEKSClusterPolicy]);
        // Envelope encryption of Kubernetes Secrets (the service's secretEnv lands in one) with a rotated key.
        const secretsKey = new aws.kms.Key(`${name}-secrets-key`, {
            description: `${args.clusterName}: EKS Secrets envelope encryption`, enableKeyRotation: true, deletionWindowInDays: 7, region,
        }, child);
        const cluster = new aws.eks.Cluster(`${name}-eks`, {
            name: args.clusterName,
            roleArn: clusterRole.role.arn,
            version: EKS_VERSION,
            vpcConfig: {
                subnetIds: network.privateSubnetIds, endpointPrivateAccess: true, endpointPublicAccess: true,
                // `pulumi up` reaches the API from outside the VPC; clusterApiCidrs narrows who may.
                ...(platform.access.publicAccessCidrs.length > 0 ? { publicAccessCidrs: platform.access.publicAccessCidrs } : {}),
            },
            encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
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
            amiType: args.architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            // desiredSize starts at nodeMin; from then on Cluster Autoscaler owns it (ignoreChanges below).
            scalingConfig: { minSize: platform.nodeCount.min, desiredSize: platform.nodeCount.min, maxSize: platform.nodeCount.max },
            updateConfig: { maxUnavailable: 1 },
            region,
        }, { ...child, dependsOn: nodeRole.attachments, ignoreChanges: ["scalingConfig.desiredSize"] });

        // EKS installs the VPC CNI without NetworkPolicy enforcement; turn it on so the workload's policy applies.
        new aws.eks.Addon(`${name}-vpc-cni`, {
            clusterName: cluster.name,
            addonName: "vpc-cni",
            configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            region,
        }, child);
        if (args.podRole) this.grantPodRole(name, args.clusterName, cluster, nodes, args.podRole, region);

        const admins = this.grantAdmins(name, cluster, platform.access.adminRoleArns, region);

        // The program's own provider runs as the identity of `pulumi up` (the creator is admin); the exported
        // kubeconfig authenticates as the configured role / profile, for people, CI and other stacks.
        const endpoint = { clusterName: cluster.name, endpoint: cluster.endpoint, caData: cluster.certificateAuthority.data };
        const ownKubeconfig = execKubeconfig({ ...endpoint, exec: { command: "aws", ...getTokenExec(args.clusterName, region, undefined) } });
        this.kubeconfig = pulumi.secret(execKubeconfig({ ...endpoint, exec: { command: "aws", ...getTokenExec(args.clusterName, region, platform.access) } }));
        // Deploy only once nodes exist, so Deployments roll out instead of waiting on Pending pods.
        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: pulumi.secret(ownKubeconfig) }, { ...child, dependsOn: [nodes, ...admins] });
        this.clusterName = cluster.name;
        new EksAutoscaling(`${name}-autoscaling`, { cluster, clusterName: args.clusterName, region, stack: args.stack, provider: this.provider, nodes }, child);
        this.registerOutputs({ clusterName: this.clusterName });
    }

    /** An access entry with cluster-admin for each configured role (CI deployers, the platform team). */
    private grantAdmins(name: string, cluster: aws.eks.Cluster, roleArns: readonly string[], region: string): pulumi.Resource[] {
        return roleArns.flatMap((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, { clusterName: cluster.name, principalArn, type: "STANDARD", region }, { parent: this });
            const policy = new aws.eks.AccessPolicyAssociation(`${name}-admin-${i}`, {
                clusterName: cluster.name, principalArn, policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" }, region,
            }, { parent: this, dependsOn: [entry] });
            return [entry, policy];
        });
    }

    /**
     * EKS Pod Identity: the agent add-on, a role pods can assume, and its association with the service account.
     * The logical names keep "model-reader", its first use, so existing stacks do not replace the role.
     */
    private grantPodRole(name: string, clusterName: string, cluster: aws.eks.Cluster, nodes: aws.eks.NodeGroup, reader: NonNullable<EksClusterArgs["podRole"]>, region: string): void {
        const child = { parent: this };
        // The agent is a DaemonSet: without nodes the add-on never becomes healthy.
        new aws.eks.Addon(`${name}-pod-identity-agent`, { clusterName: cluster.name, addonName: "eks-pod-identity-agent", region }, { ...child, dependsOn: [nodes] });
        const role = new aws.iam.Role(`${name}-model-reader`, {
            name: physicalName([clusterName, "pods"], NAME_LIMITS.iamRole),
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
        }, child);
        new aws.iam.RolePolicy(`${name}-model-reader`, { role: role.id, policy: reader.policy }, child);
        new aws.eks.PodIdentityAssociation(`${name}-model-reader`, {
            clusterName: cluster.name, namespace: reader.namespace, serviceAccount: reader.serviceAccount, roleArn: role.arn, region,
        }, child);
    }
}
