import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmReleaseName, NAME_LIMITS, physicalName } from "../naming";

/** Cluster Autoscaler chart and image; the image's minor version follows the cluster's (EKS_VERSION). */
export const CLUSTER_AUTOSCALER = { chart: "cluster-autoscaler", version: "9.46.6", image: "v1.33.0", namespace: "kube-system", serviceAccount: "cluster-autoscaler" } as const;

/**
 * What Cluster Autoscaler may do with the node groups' Auto Scaling groups: read everything, change only groups
 * tagged as this cluster's (EKS tags managed node groups' groups with k8s.io/cluster-autoscaler/<cluster>).
 */
export function clusterAutoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    });
}

/** Arguments of {@link EksAutoscaling}. */
export interface EksAutoscalingArgs {
    cluster: aws.eks.Cluster;
    /** Physical name of the cluster (the role name carries it). */
    clusterName: string;
    region: string;
    stack: string;
    /** Provider of the cluster (waits for its nodes). */
    provider: k8s.Provider;
    /** The node group: the add-ons need nodes to run on. */
    nodes: aws.eks.NodeGroup;
}

/**
 * The autoscaling pipeline EKS does not ship: metrics-server (EKS managed add-on) for the HPA's CPU metric, and
 * Cluster Autoscaler (Helm, Pod Identity role) that moves the node group between nodeMin and nodeMax — the node
 * group's desiredSize is left to it (the node group ignores changes to it).
 */
export class EksAutoscaling extends pulumi.ComponentResource {
    constructor(name: string, args: EksAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:eks:Autoscaling", name, {}, opts);
        const child = { parent: this };
        const { cluster, region } = args;
        new aws.eks.Addon(`${name}-metrics-server`, {
            clusterName: cluster.name, addonName: "metrics-server", resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", region,
        }, { ...child, dependsOn: [args.nodes] });

        const role = new aws.iam.Role(`${name}-cluster-autoscaler`, {
            name: physicalName([args.clusterName, "cluster-autoscaler"], NAME_LIMITS.iamRole),
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
        }, child);
        new aws.iam.RolePolicy(`${name}-cluster-autoscaler`, { role: role.id, policy: cluster.name.apply(clusterAutoscalerPolicy) }, child);
        const association = new aws.eks.PodIdentityAssociation(`${name}-cluster-autoscaler`, {
            clusterName: cluster.name, namespace: CLUSTER_AUTOSCALER.namespace, serviceAccount: CLUSTER_AUTOSCALER.serviceAccount, roleArn: role.arn, region,
        }, child);
        new k8s.helm.v3.Release(`${name}-cluster-autoscaler`, {
            name: helmReleaseName(CLUSTER_AUTOSCALER.chart, args.stack),
            chart: CLUSTER_AUTOSCALER.chart,
            version: CLUSTER_AUTOSCALER.version,
            repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
            namespace: CLUSTER_AUTOSCALER.namespace,
            values: {
                cloudProvider: "aws",
                awsRegion: region,
                autoDiscovery: { clusterName: cluster.name },
                image: { tag: CLUSTER_AUTOSCALER.image },
                rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER.serviceAccount } },
                extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false },
                resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { cpu: "200m", memory: "600Mi" } },
            },
        }, { ...child, provider: args.provider, dependsOn: [association] });
        this.registerOutputs({});
    }
}
