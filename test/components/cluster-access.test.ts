import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { execKubeconfig } from "../../components/backends/cluster-access";

describe("kubeconfig for a new cluster", () => {
    it("points at the cluster's HTTPS endpoint with its CA and authenticates through the cloud CLI, never a stored token", async () => {
        const kubeconfig = await new Promise<string>((resolve) => execKubeconfig({
            clusterName: "pv-prod", endpoint: "203.0.113.10", caData: "Q0E=",
            exec: { command: "gke-gcloud-auth-plugin", args: [] },
        }).apply(resolve));
        const config = JSON.parse(kubeconfig);
        assert.equal(config["current-context"], "pv-prod");
        assert.deepEqual(config.clusters[0].cluster, { server: "https://203.0.113.10", "certificate-authority-data": "Q0E=" });
        const user = config.users[0].user;
        assert.equal(user.exec.command, "gke-gcloud-auth-plugin");
        assert.equal(user.token, undefined);
    });

    it("keeps an EKS endpoint that already has a scheme and passes the get-token arguments through", async () => {
        const kubeconfig = await new Promise<string>((resolve) => execKubeconfig({
            clusterName: pulumi.output("pv-dev"), endpoint: "https://abc.gr7.us-east-1.eks.amazonaws.com", caData: "Q0E=",
            exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", pulumi.output("pv-dev"), "--region", "us-east-1"] },
        }).apply(resolve));
        const config = JSON.parse(kubeconfig);
        assert.equal(config.clusters[0].cluster.server, "https://abc.gr7.us-east-1.eks.amazonaws.com");
        assert.deepEqual(config.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", "pv-dev", "--region", "us-east-1"]);
    });
});
