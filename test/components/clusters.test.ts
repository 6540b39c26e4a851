import { strict as assert } from "node:assert";
import { all, input, one, render, types } from "./helpers";

describe("eks and gke clusters", () => {
    it("builds a new EKS cluster in a VPC whose nodes live in private subnets behind one NAT gateway", async () => {
        const stack = await render("eks", { "model-serving:nodeMin": "3", "model-serving:nodeMax": "8" });
        const subnets = all(stack, "aws:ec2/subnet:Subnet");
        const privateSubnets = subnets.filter((s) => input(s, "mapPublicIpOnLaunch") === false);
        assert.equal(privateSubnets.length, 2);
        assert.deepEqual(privateSubnets.map((s) => input(s, "availabilityZone")), ["us-east-1a", "us-east-1b"]);
        assert.equal(all(stack, "aws:ec2/natGateway:NatGateway").length, 1);
        const nodes = one(stack, "aws:eks/nodeGroup:NodeGroup");
        assert.ok((input(nodes, "subnetIds") as string[]).every((id) => id.includes("-private-")));
        assert.deepEqual(input(nodes, "scalingConfig"), { minSize: 3, desiredSize: 3, maxSize: 8 });
        assert.deepEqual(input(nodes, "instanceTypes"), ["m6i.large"]);
        const cluster = one(stack, "aws:eks/cluster:Cluster");
        assert.equal(input(cluster, "accessConfig.authenticationMode"), "API");
        assert.ok((input(cluster, "vpcConfig.subnetIds") as string[]).every((id) => id.includes("-private-")));
        const policies = all(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => String(input(a, "policyArn")).split("/").pop()).sort();
        assert.deepEqual(policies, ["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"]);
        assert.equal(input(cluster, "name"), "property-valuation-test", "named after service and stack: unique per account and region");
        assert.equal((stack.outputs.resourceNames as Record<string, string>).cluster, "property-valuation-test");
        assert.ok(subnets.every((s) => (input(s, "tags") as Record<string, string>)["kubernetes.io/cluster/property-valuation-test"] === "shared"));
        const cni = all(stack, "aws:eks/addon:Addon").find((a) => input(a, "addonName") === "vpc-cni")!;
        assert.equal(input(cni, "addonName"), "vpc-cni");
        assert.deepEqual(JSON.parse(String(input(cni, "configurationValues"))), { enableNetworkPolicy: "true" }, "NetworkPolicy is enforced");
    });

    it("grants a bucket-sourced EKS workload read access through Pod Identity bound to its service account", async () => {
        const stack = await render("eks", { "model-serving:modelSource": "bucket" });
        assert.deepEqual(all(stack, "aws:eks/addon:Addon").map((a) => input(a, "addonName")).sort(), ["eks-pod-identity-agent", "metrics-server", "vpc-cni"]);
        const association = all(stack, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => input(a, "namespace") !== "kube-system")!;
        assert.equal(input(association, "namespace"), "inference");
        assert.equal(input(association, "serviceAccount"), "property-valuation-test", "the service account carries the stack");
        assert.ok(all(stack, "aws:iam/rolePolicy:RolePolicy").some((p) => /s3:GetObject/.test(String(input(p, "policy")))), "the pods' role reads the bucket");
    });

    it("deploys to an existing cluster from a stack reference without creating a VPC or cluster", async () => {
        for (const backend of ["eks", "gke"] as const) {
            const stack = await render(backend, { "model-serving:clusterStackReference": "acme/platform/prod" });
            assert.deepEqual([...types(stack)].filter((t) => /eks\/|ec2\/|container\//.test(t)), [], backend);
            assert.equal(input(one(stack, "pulumi:pulumi:StackReference"), "name"), "acme/platform/prod");
            assert.equal(input(one(stack, "pulumi:providers:kubernetes"), "kubeconfig"), "[secret]", "the kubeconfig stays secret");
            assert.equal(all(stack, "kubernetes:apps/v1:Deployment").length, 1);
        }
    });

    it("deploys to an existing cluster from a secret kubeconfig in the stack config", async () => {
        const stack = await render("gke", { "model-serving:kubeconfig": "apiVersion: v1\nkind: Config" });
        assert.equal(all(stack, "gcp:container/cluster:Cluster").length, 0);
        assert.equal(input(one(stack, "pulumi:providers:kubernetes"), "kubeconfig"), "[secret]");
    });

    it("creates GKE Autopilot by default and Standard with an autoscaled, Workload-Identity node pool on request", async () => {
        const autopilot = await render("gke");
        assert.equal(input(one(autopilot, "gcp:container/cluster:Cluster"), "enableAutopilot"), true);
        assert.equal(all(autopilot, "gcp:container/nodePool:NodePool").length, 0);
        const standard = await render("gke", { "model-serving:gkeMode": "standard", "model-serving:nodeMachineType": "n2-standard-8" });
        const cluster = one(standard, "gcp:container/cluster:Cluster");
        assert.equal(input(cluster, "removeDefaultNodePool"), true);
        assert.equal(input(cluster, "workloadIdentityConfig.workloadPool"), "acme.svc.id.goog");
        assert.equal(input(cluster, "datapathProvider"), "ADVANCED_DATAPATH", "Dataplane V2 enforces NetworkPolicy");
        const pool = one(standard, "gcp:container/nodePool:NodePool");
        assert.equal(input(pool, "nodeConfig.machineType"), "n2-standard-8");
        assert.equal(input(pool, "nodeConfig.workloadMetadataConfig.mode"), "GKE_METADATA");
        assert.deepEqual(input(pool, "autoscaling"), { totalMinNodeCount: 2, totalMaxNodeCount: 6, locationPolicy: "BALANCED" });
        assert.equal(input(cluster, "location"), "us-central1");
    });

    it("lets a bucket-sourced GKE workload read the bucket through Workload Identity", async () => {
        const stack = await render("gke", { "model-serving:modelSource": "bucket" });
        const binding = one(stack, "gcp:serviceaccount/iAMMember:IAMMember");
        assert.equal(input(binding, "role"), "roles/iam.workloadIdentityUser");
        assert.equal(input(binding, "member"), "serviceAccount:acme.svc.id.goog[inference/property-valuation-test]", "a subject of this stack only");
        const account = one(stack, "kubernetes:core/v1:ServiceAccount");
        const annotations = input(account, "metadata.annotations") as Record<string, string>;
        assert.equal(annotations["iam.gke.io/gcp-service-account"], "property-valuation-models-9f86@acme.iam.gserviceaccount.com");
        assert.equal(input(one(stack, "gcp:storage/bucketIAMMember:BucketIAMMember"), "role"), "roles/storage.objectViewer");
    });
});
