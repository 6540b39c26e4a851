import { strict as assert } from "node:assert";
import * as path from "node:path";
import { eksZones } from "../../components/backends/aws-network";
import { clusterAutoscalerPolicy } from "../../components/backends/eks-autoscaling";
import { getTokenExec } from "../../components/backends/eks";
import { projectServices } from "../../components/backends/gcp-services";
import { parseStackConfig } from "../../components/config/parse";
import { readStackConfigFile, renderStack, type RenderedStack } from "../../plan/render";
import { all, input, one, render } from "./helpers";

const stacksDir = path.resolve(__dirname, "../../stacks");
const renderFile = (stack: string) => renderStack({ stack, ...withoutStack(readStackConfigFile(path.join(stacksDir, `Pulumi.${stack}.yaml`))) });
const withoutStack = ({ config }: { config: Record<string, string> }) => ({ config });

/** Every URN a resource waits for, through component parents (dependsOn on a component means all its children). */
function waitsFor(stack: RenderedStack, urn: string, target: (urn: string) => boolean): boolean {
    const resource = stack.resources.find((r) => r.urn === urn);
    return (resource?.dependencies ?? []).some((d) => target(d) || stack.resources.some((r) => r.urn === d && r.type.startsWith("model-serving:") && stack.resources.some((c) => c.parent === d && target(c.urn))));
}

describe("first contact with the clouds (issue 17)", () => {
    it("takes availability zones from the provider, skipping zone IDs EKS does not support", () => {
        assert.deepEqual(eksZones({ names: ["us-east-1a", "us-east-1b", "us-east-1c"], zoneIds: ["use1-az3", "use1-az1", "use1-az2"] }, 2), ["us-east-1b", "us-east-1c"]);
        assert.throws(() => eksZones({ names: ["us-west-1a", "us-west-1b"], zoneIds: ["usw1-az1", "usw1-az2"] }, 2), /only 1 availability zones usable by EKS/);
    });

    it("enables the APIs each GCP backend calls, and none on AWS", () => {
        const spec = (config: Record<string, string>) => parseStackConfig(config, "stacks/Pulumi.test.yaml");
        const gke = spec({ "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "p" });
        assert.deepEqual(projectServices(gke.platform, gke.service), [
            "artifactregistry.googleapis.com", "container.googleapis.com", "iam.googleapis.com", "iamcredentials.googleapis.com", "storage.googleapis.com",
        ]);
        const run = spec({ "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "p", "model-serving:scalingSchedule": '["day 1 0 8 * * *"]' });
        assert.ok(projectServices(run.platform, run.service).includes("cloudscheduler.googleapis.com"));
        const lambda = spec({ "model-serving:backend": "lambda", "aws:region": "us-east-1" });
        assert.deepEqual(projectServices(lambda.platform, lambda.service), []);
    });

    it("every GCP resource waits for the project's APIs; enableApis false leaves the project alone", async () => {
        const stack = await render("cloudrun");
        const apis = all(stack, "gcp:projects/service:Service");
        assert.ok(apis.length >= 4);
        assert.ok(apis.every((a) => input(a, "disableOnDestroy") === false), "destroying a stack never switches an API off");
        for (const resource of stack.resources.filter((r) => r.type.startsWith("gcp:") && r.type !== "gcp:projects/service:Service")) {
            assert.ok(waitsFor(stack, resource.urn, (urn) => apis.some((a) => a.urn === urn)), `${resource.name} waits for the APIs`);
        }
        assert.equal(all(await render("cloudrun", { "model-serving:enableApis": "false" }), "gcp:projects/service:Service").length, 0);
    });

    it("binds Workload Identity after the cluster exists and deploys the pods after the binding", async () => {
        const stack = await render("gke", { "model-serving:modelSource": "bucket" });
        const cluster = one(stack, "gcp:container/cluster:Cluster");
        const binding = one(stack, "gcp:serviceaccount/iAMMember:IAMMember");
        assert.ok(binding.dependencies?.includes(cluster.urn), "the pool exists once the cluster does");
        const deployment = one(stack, "kubernetes:apps/v1:Deployment");
        const workload = stack.resources.find((r) => r.urn === deployment.parent)!;
        assert.ok(waitsFor(stack, workload.urn, (urn) => urn === binding.urn), "the workload waits for the binding");
    });

    it("prod-aws renders metrics-server, Cluster Autoscaler with its own Pod Identity role, leaves desiredSize to it, and feeds the adapter from the operator's Prometheus", async () => {
        const stack = await renderFile("prod-aws");
        assert.ok(all(stack, "aws:eks/addon:Addon").some((a) => input(a, "addonName") === "metrics-server"));
        const autoscaler = all(stack, "kubernetes:helm.sh/v3:Release").find((r) => input(r, "chart") === "cluster-autoscaler")!;
        assert.equal(input(autoscaler, "values.autoDiscovery.clusterName"), "property-valuation-prod-aws");
        assert.equal(input(autoscaler, "name"), "cluster-autoscaler-prod-aws");
        const association = all(stack, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => input(a, "serviceAccount") === "cluster-autoscaler");
        assert.equal(input(association!, "namespace"), "kube-system");
        const policy = JSON.parse(clusterAutoscalerPolicy("c")) as { Statement: { Action: string[]; Condition?: unknown }[] };
        assert.deepEqual(policy.Statement[1].Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c": "owned" } }, "it may resize only this cluster's groups");
        assert.deepEqual(one(stack, "aws:eks/nodeGroup:NodeGroup").ignoreChanges, ["scalingConfig.desiredSize"]);
        // prod-aws runs kube-prometheus-stack (prometheusOperator): the adapter queries that Prometheus, not a second one.
        const releases = all(stack, "kubernetes:helm.sh/v3:Release");
        assert.equal(releases.find((r) => input(r, "chart") === "prometheus"), undefined);
        const adapter = releases.find((r) => input(r, "chart") === "prometheus-adapter")!;
        assert.deepEqual(input(adapter, "values.prometheus"), { url: "http://kube-prometheus-stack-prometheus.monitoring.svc", port: 9090 });
        assert.ok(all(stack, "kubernetes:monitoring.coreos.com/v1:PodMonitor").length > 0, "which scrapes the pods through the PodMonitor");
    });

    it("gives configured roles cluster-admin through access entries and exports a kubeconfig with the profile and role", async () => {
        const role = "arn:aws:iam::123456789012:role/ci-deployer";
        const stack = await render("eks", {
            "model-serving:clusterAdminRoles": JSON.stringify([role]), "model-serving:kubeconfigProfile": "prod", "model-serving:kubeconfigRoleArn": role,
            "model-serving:clusterApiCidrs": '["203.0.113.0/24"]',
        });
        assert.equal(input(one(stack, "aws:eks/accessEntry:AccessEntry"), "principalArn"), role);
        const association = one(stack, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        assert.deepEqual([input(association, "policyArn"), input(association, "accessScope.type")], ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster"]);
        assert.deepEqual(input(one(stack, "aws:eks/cluster:Cluster"), "vpcConfig.publicAccessCidrs"), ["203.0.113.0/24"]);
        assert.equal(stack.outputs.kubeconfig, "[secret]", "a secret kubeconfig output for clusterStackReference");
        assert.deepEqual(getTokenExec("c", "us-east-1", { adminRoleArns: [], publicAccessCidrs: [], kubeconfigProfile: "prod", kubeconfigRoleArn: role }), {
            args: ["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--role-arn", role],
            env: [{ name: "AWS_PROFILE", value: "prod" }],
        });
    });

    it("no two stacks in one project share a service account or Workload Identity subject", async () => {
        const [gcp, hybrid] = await Promise.all([renderFile("prod-gcp"), renderFile("prod-hybrid")]);
        const ids = (stack: RenderedStack) => all(stack, "gcp:serviceaccount/account:Account").map((a) => String(input(a, "accountId")));
        const subjects = (stack: RenderedStack) => all(stack, "gcp:serviceaccount/iAMMember:IAMMember").map((m) => String(input(m, "member")));
        assert.deepEqual(ids(gcp).filter((id) => ids(hybrid).includes(id)), []);
        assert.deepEqual(subjects(gcp).filter((s) => subjects(hybrid).includes(s)), []);
        assert.ok(subjects(gcp).length > 0 && subjects(hybrid).length > 0);
    });

    it("deletion by intent: retain keeps registries and buckets out of deletes; delete empties them so a switch completes", async () => {
        const kept = await render("lambda", { "model-serving:deletionPolicy": "retain" });
        for (const type of ["aws:ecr/repository:Repository", "aws:s3/bucket:Bucket"]) assert.equal(one(kept, type).retainOnDelete, true, type);
        assert.equal(input(one(kept, "aws:ecr/repository:Repository"), "forceDelete"), false);
        const dev = await render("cloudrun");
        assert.equal(input(one(dev, "gcp:storage/bucket:Bucket"), "forceDestroy"), true);
        assert.equal(one(dev, "gcp:artifactregistry/repository:Repository").retainOnDelete, undefined);
        const lambda = await render("lambda");
        assert.equal(input(one(lambda, "aws:ecr/repository:Repository"), "forceDelete"), true, "the switch lambda → cloudrun can delete the repository holding the image");
    });

    it("exports overflowUrl only on hybrid stacks and kubeconfig only for new clusters", async () => {
        const lambda = await render("lambda");
        assert.ok(!("overflowUrl" in lambda.outputs) && !("kubeconfig" in lambda.outputs));
        assert.deepEqual(lambda.warnings.filter((w) => /Undefined value/.test(w)), []);
        const existing = await render("gke", { "model-serving:clusterStackReference": "acme/clusters/prod" });
        assert.ok(!("kubeconfig" in existing.outputs));
    });
});
