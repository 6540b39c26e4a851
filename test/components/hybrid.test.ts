import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../components/config/parse";
import { lambdaUrlInvokePolicy, overflowEnvironment, overflowServiceSpec } from "../../components/render/hybrid";
import type { HybridPlatform } from "../../components/spec";
import { renderStack, type RenderedStack } from "../../plan/render";
import { all, input, one, problemsOf, types } from "./helpers";

const SOURCE = "stacks/Pulumi.test.yaml";
const HYBRID_GKE = { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "gke", "gcp:region": "us-central1", "gcp:project": "acme" };
const HYBRID_EKS = { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "eks", "aws:region": "us-east-1" };

const render = (config: Record<string, string>) => renderStack({ stack: "test", config });

/** The inference container's environment as name → value. */
function podEnv(stack: RenderedStack): Record<string, unknown> {
    const containers = input(one(stack, "kubernetes:apps/v1:Deployment"), "spec.template.spec.containers") as { name: string; env: { name: string; value: unknown }[] }[];
    return Object.fromEntries(containers[0].env.map((e) => [e.name, e.value]));
}

const KUBERNETES_WORKLOAD = ["kubernetes:apps/v1:Deployment", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:core/v1:Service",
    "kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:core/v1:ServiceAccount"];

describe("hybrid backend: pure parts", () => {
    it("the overflow scales from zero to the baseline's maximum, leaves a schedule to the baseline and stays private", () => {
        const spec = parseStackConfig({
            ...HYBRID_GKE, "model-serving:minReplicas": "3", "model-serving:maxReplicas": "9", "model-serving:scalingSchedule": '["day 5 0 8 * * *"]', "model-serving:exposure": "public",
        }, SOURCE).service;
        const overflow = overflowServiceSpec(spec);
        assert.deepEqual(overflow.scaling, { min: 0, max: 9, cpuTargetPercent: 70, queueLengthTarget: 4, concurrency: 8 });
        assert.equal(overflow.exposure, "private");
        assert.deepEqual([spec.scaling.min, spec.exposure], [3, "public"], "the baseline keeps its minimum and exposure");
    });

    it("sets the auth mode by overflow and the threshold only when configured", () => {
        const platform = parseStackConfig(HYBRID_EKS, SOURCE).platform as HybridPlatform;
        assert.deepEqual(overflowEnvironment(platform, "https://x"), { OVERFLOW_URL: "https://x", OVERFLOW_AUTH: "aws-iam" });
        const gke = parseStackConfig({ ...HYBRID_GKE, "model-serving:overflowQueueThreshold": "12" }, SOURCE).platform as HybridPlatform;
        assert.deepEqual(overflowEnvironment(gke, "https://y"), { OVERFLOW_URL: "https://y", OVERFLOW_AUTH: "gcp-id-token", OVERFLOW_QUEUE_THRESHOLD: "12" });
    });

    it("grants invoke of one Function URL alias, IAM-authenticated only", () => {
        const policy = JSON.parse(lambdaUrlInvokePolicy("arn:aws:lambda:us-east-1:1:function:f:live")) as { Statement: { Action: string; Resource: string; Condition: unknown }[] };
        assert.deepEqual(policy.Statement.map((s) => [s.Action, s.Resource, s.Condition]), [
            ["lambda:InvokeFunctionUrl", "arn:aws:lambda:us-east-1:1:function:f:live", { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } }],
            ["lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f:live", { Bool: { "lambda:InvokedViaFunctionUrl": "true" } }],
        ]);
    });
});

describe("hybrid backend: config errors name the file, key, value and what is allowed", () => {
    const cases: [string, Record<string, string>, RegExp][] = [
        ["no baseline and both clouds' regions", { "model-serving:backend": "hybrid", "aws:region": "us-east-1", "gcp:region": "us-central1", "gcp:project": "acme" }, /Pulumi\.test\.yaml: model-serving:hybridBaseline is not set and both aws:region and gcp:region are set; backend hybrid needs it: eks \(overflow on Lambda\) or gke/],
        ["unknown baseline", { ...HYBRID_GKE, "model-serving:hybridBaseline": "aks" }, /model-serving:hybridBaseline "aks" is not one of eks, gke/],
        ["an invalid value of a key it does not use", { ...HYBRID_GKE, "model-serving:lambdaArchitecture": "arm" }, /model-serving:lambdaArchitecture "arm" is not one of x86_64, arm64/],
        ["a bucket model next to Lambda", { ...HYBRID_EKS, "model-serving:modelSource": "bucket" }, /model-serving:modelSource "bucket" is not available on hybrid with hybridBaseline eks/],
        ["an existing EKS cluster", { ...HYBRID_EKS, "model-serving:kubeconfig": "apiVersion: v1" }, /model-serving:hybridBaseline "eks" needs a new EKS cluster/],
        ["a size the overflow cannot run", { ...HYBRID_GKE, "model-serving:cpu": "16", "model-serving:memory": "2Gi" }, /model-serving:cpu "16" and model-serving:memory "2Gi" does not fit cloudrun \(the hybrid overflow\)/],
        ["an overflow variable the component sets", { ...HYBRID_GKE, "model-serving:env": '["OVERFLOW_URL=https://elsewhere"]' }, /model-serving:env "OVERFLOW_URL=https:\/\/elsewhere" sets OVERFLOW_URL, which the component sets itself/],
    ];
    for (const [what, config, expected] of cases) {
        it(what, () => assert.ok(problemsOf(config).some((p) => expected.test(p)), `${JSON.stringify(problemsOf(config))} should match ${expected}`));
    }

    const ignored: [string, Record<string, string>, RegExp][] = [
        ["a lambda-only key it fixes", { ...HYBRID_EKS, "model-serving:lambdaEndpoint": "http-api" }, /model-serving:lambdaEndpoint "http-api" \(the hybrid overflow is always a private \(AWS_IAM\) Function URL\)/],
        ["invokers", { ...HYBRID_GKE, "model-serving:invokers": '["group:ml@example.com"]' }, /model-serving:invokers .* \(only the baseline's pods may invoke the hybrid overflow\)/],
        ["the other cloud's key", { ...HYBRID_GKE, "model-serving:lambdaArchitecture": "arm64" }, /backend hybrid with hybridBaseline gke does not use model-serving:lambdaArchitecture "arm64" \(used by lambda\)/],
        ["the other cluster's key", { ...HYBRID_EKS, "model-serving:gkeMode": "standard" }, /backend hybrid with hybridBaseline eks does not use model-serving:gkeMode "standard" \(used by gke\)/],
        ["a hybrid key on another backend", { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "acme", "model-serving:overflowQueueThreshold": "4" }, /backend gke does not use model-serving:overflowQueueThreshold "4" \(used by hybrid\)/],
    ];
    for (const [what, config, expected] of ignored) {
        it(`warns once, without refusing, about ${what}`, () => {
            const { warnings } = parseStackConfig(config, SOURCE);
            assert.ok(warnings.some((w) => expected.test(w)), `${JSON.stringify(warnings)} should match ${expected}`);
        });
    }

    it("takes the baseline from the stack's region key when hybridBaseline is unset", () => {
        const gcpOnly = Object.fromEntries(Object.entries(HYBRID_GKE).filter(([name]) => name !== "model-serving:hybridBaseline"));
        assert.equal((parseStackConfig(gcpOnly, SOURCE).platform as HybridPlatform).baseline.backend, "gke");
    });

    it("accepts the baseline's and the overflow's own keys", () => {
        const spec = parseStackConfig({ ...HYBRID_EKS, "model-serving:nodeInstanceType": "m7g.large", "model-serving:lambdaArchitecture": "arm64" }, SOURCE);
        assert.equal(spec.platform.backend, "hybrid");
        const platform = spec.platform as HybridPlatform;
        assert.deepEqual([platform.baseline.backend, platform.overflow.backend], ["eks", "lambda"]);
        assert.equal(platform.overflow.backend === "lambda" && platform.overflow.architecture, "arm64");
    });
});

describe("hybrid backend rendered under mocks", () => {
    it("gke: Kubernetes workload + private Cloud Run overflow that only the pods' Workload Identity may invoke", async function () {
        this.timeout(60000);
        const stack = await render({ ...HYBRID_GKE, "model-serving:overflowQueueThreshold": "16", "model-serving:modelSource": "bucket" });
        for (const type of [...KUBERNETES_WORKLOAD, "gcp:container/cluster:Cluster", "gcp:cloudrunv2/service:Service"]) assert.ok(types(stack).has(type), type);
        assert.ok(!types(stack).has("aws:lambda/function:Function"));
        const run = one(stack, "gcp:cloudrunv2/service:Service");
        assert.equal(input(run, "template.scaling.minInstanceCount"), 0);
        const invokers = all(stack, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
        assert.equal(invokers.length, 1, "exactly one invoker binding");
        const podAccount = all(stack, "gcp:serviceaccount/account:Account").find((a) => a.name.includes("pod-identity"))!;
        const podEmail = `${String(input(podAccount, "accountId"))}@acme.iam.gserviceaccount.com`;
        assert.equal(input(invokers[0], "role"), "roles/run.invoker");
        assert.equal(input(invokers[0], "member"), `serviceAccount:${podEmail}`, "the pods' Google service account, nobody else");
        const annotations = input(one(stack, "kubernetes:core/v1:ServiceAccount"), "metadata.annotations") as Record<string, string>;
        assert.equal(annotations["iam.gke.io/gcp-service-account"], podEmail);
        const env = podEnv(stack);
        assert.match(String(stack.outputs.overflowUrl), /^https:\/\/.*\.run\.app$/);
        assert.equal(env.OVERFLOW_URL, stack.outputs.overflowUrl, "OVERFLOW_URL is the Cloud Run service's URL output");
        assert.equal(env.OVERFLOW_AUTH, "gcp-id-token");
        assert.equal(env.OVERFLOW_QUEUE_THRESHOLD, "16");
        assert.equal(stack.outputs.url, "http://property-valuation.inference.svc.cluster.local");
        assert.equal(stack.outputs.backend, "hybrid");
    });

    it("eks: Kubernetes workload + AWS_IAM Function URL whose invoke only the pods' Pod Identity role holds", async function () {
        this.timeout(60000);
        // A public baseline (LoadBalancer) must not make the overflow public.
        const stack = await render({ ...HYBRID_EKS, "model-serving:exposure": "public" });
        for (const type of [...KUBERNETES_WORKLOAD, "aws:eks/cluster:Cluster", "aws:lambda/function:Function", "aws:eks/podIdentityAssociation:PodIdentityAssociation"]) assert.ok(types(stack).has(type), type);
        const functionUrl = one(stack, "aws:lambda/functionUrl:FunctionUrl");
        assert.equal(input(functionUrl, "authorizationType"), "AWS_IAM");
        assert.equal(all(stack, "aws:lambda/permission:Permission").length, 0, "no resource policy opens the function");
        assert.equal(all(stack, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").length, 0, "the overflow scales from zero");
        const builds = all(stack, "docker-build:index:Image");
        assert.deepEqual(builds.map((b) => input(b, "target")).sort(), ["lambda", "server"], "both Dockerfile targets are built");
        const lambdaBuild = builds.find((b) => input(b, "target") === "lambda")!;
        const lambdaImage = String(input(one(stack, "aws:lambda/function:Function"), "imageUri"));
        assert.ok(lambdaImage.startsWith(`${String(input(lambdaBuild, "exports.0.registry.names.0"))}@sha256:`), "the overflow runs the Lambda build, by digest");
        const podImage = input(one(stack, "kubernetes:apps/v1:Deployment"), "spec.template.spec.containers.0.image");
        assert.notEqual(podImage, lambdaImage, "the pods run the server build");
        const association = all(stack, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => input(a, "namespace") !== "kube-system")!;
        assert.deepEqual([input(association, "namespace"), input(association, "serviceAccount")], ["inference", "property-valuation-test"]);
        const podPolicy = all(stack, "aws:iam/rolePolicy:RolePolicy").find((p) => String(input(p, "policy")).includes("InvokeFunctionUrl"))!;
        const aliasArn = (JSON.parse(String(input(podPolicy, "policy"))) as { Statement: { Resource: string }[] }).Statement[0].Resource;
        assert.match(aliasArn, /^arn:aws:lambda:us-east-1:\d+:function:.+:live$/);
        assert.equal(input(podPolicy, "policy"), lambdaUrlInvokePolicy(aliasArn));
        const env = podEnv(stack);
        assert.match(String(stack.outputs.overflowUrl), /^https:\/\/.*\.lambda-url\.us-east-1\.on\.aws\/$/);
        assert.equal(env.OVERFLOW_URL, stack.outputs.overflowUrl, "OVERFLOW_URL is the Function URL output");
        assert.equal(env.OVERFLOW_AUTH, "aws-iam");
        assert.equal(env.OVERFLOW_QUEUE_THRESHOLD, undefined, "0 leaves the service's own default");
    });
});
