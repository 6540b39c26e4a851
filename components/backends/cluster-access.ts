import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSource } from "../spec";

/**
 * A provider for a cluster this stack does not create: a kubeconfig from the stack's (secret) config, or the
 * output of the stack that owns the cluster. Returns undefined for a new cluster.
 */
export function existingClusterProvider(name: string, source: ClusterSource, parent: pulumi.Resource): { provider: k8s.Provider; clusterName: pulumi.Output<string> } | undefined {
    if (source.kind === "new") return undefined;
    const kubeconfig = source.kind === "kubeconfig"
        ? new pulumi.Config().requireSecret(source.configKey)
        : pulumi.secret(new pulumi.StackReference(`${name}-cluster-stack`, { name: source.stack }, { parent }).requireOutput(source.outputName).apply(String));
    const provider = new k8s.Provider(`${name}-existing`, { kubeconfig }, { parent });
    const clusterName = source.kind === "kubeconfig" ? pulumi.output("existing cluster (model-serving:kubeconfig)") : pulumi.output(source.stack);
    return { provider, clusterName };
}

/** A kubeconfig that authenticates with a cloud CLI plugin (aws eks get-token, gke-gcloud-auth-plugin). */
export function execKubeconfig(args: { clusterName: pulumi.Input<string>; endpoint: pulumi.Input<string>; caData: pulumi.Input<string>; exec: { command: string; args: pulumi.Input<string>[]; env?: { name: string; value: string }[] } }): pulumi.Output<string> {
    return pulumi.all([args.clusterName, args.endpoint, args.caData, pulumi.all(args.exec.args)]).apply(([clusterName, endpoint, caData, execArgs]) => JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint.startsWith("https://") ? endpoint : `https://${endpoint}`, "certificate-authority-data": caData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        // provideClusterInfo as in the kubeconfigs `gcloud container clusters get-credentials` writes; aws ignores it.
        users: [{ name: clusterName, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: args.exec.command, args: execArgs, ...(args.exec.env?.length ? { env: args.exec.env } : {}), interactiveMode: "Never", provideClusterInfo: true } } }],
    }));
}
