import { strict as assert } from "node:assert";
import { podRequestOf } from "../../policies/limits/capacity";
import { nodePoolProblems, nodePoolsOf } from "../../policies/limits/nodes";
import { replicaCountProblem } from "../../policies/limits/replicas";
import { check, messagesOf, resource } from "./harness";
import { container, deploymentProps, lambdaProps } from "./workloads";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const nodeGroup = (instanceType: string, maxSize: number, extra: Record<string, unknown> = {}) =>
    resource(NODE_GROUP, "nodes", { instanceTypes: [instanceType], scalingConfig: { minSize: 1, desiredSize: 1, maxSize }, ...extra });
const deployment = (cpu: string, memory: string, name = "inference") => resource("kubernetes:apps/v1:Deployment", name,
    { metadata: { name }, ...deploymentProps([container({ resources: { requests: { cpu, memory }, limits: { cpu, memory } } })]) });

describe("cost caps: node pools", () => {
    const bounds = { nodeShapes: {}, maxNodeVcpus: 16, maxNodes: 20, allowGpus: false };

    it("reads an EKS node group and a GKE node pool, per-zone counts multiplied by the zones", () => {
        assert.deepEqual(nodePoolsOf(NODE_GROUP, nodeGroup("m6i.large", 10).props), [{
            platform: "eks", types: ["m6i.large"], typesPath: "instanceTypes", maxNodes: 10, maxNodesPath: "scalingConfig.maxSize", gpus: false,
        }]);
        const [pool] = nodePoolsOf(NODE_POOL, { nodeConfig: { machineType: "e2-standard-8" }, autoscaling: { maxNodeCount: 4 }, nodeLocations: ["us-central1-a", "us-central1-b"] });
        assert.equal(pool.maxNodes, 8);
    });

    it("passes a listed type within the caps", () => {
        assert.deepEqual(nodePoolProblems(nodePoolsOf(NODE_GROUP, nodeGroup("c6i.2xlarge", 10).props)[0], bounds), []);
    });

    it("fails 100 × p5.48xlarge and 100 × a3-highgpu-8g: unknown GPU types, too many nodes", async () => {
        const p5 = nodeGroup("p5.48xlarge", 100, { amiType: "AL2023_x86_64_NVIDIA" });
        const a3 = resource(NODE_POOL, "gpu", { nodeConfig: { machineType: "a3-highgpu-8g" }, autoscaling: { totalMaxNodeCount: 100 } });
        const messages = messagesOf(await check([p5, a3]), "node-pool-bounds");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /instanceTypes "p5.48xlarge" is neither in the pack's EC2 instance type table nor described in nodeShapes.*scalingConfig.maxSize 100 exceeds the allowed 20 nodes; it runs GPU nodes\. Required: .*Fix: choose a smaller listed type/);
        assert.match(messages[1], /nodeConfig.machineType "a3-highgpu-8g" .*autoscaling.totalMaxNodeCount 100 exceeds the allowed 20 nodes; it runs GPU nodes/);
    });

    it("reads a GKE cluster's default and inline pools, not an Autopilot cluster or a removed default pool", async () => {
        const cluster = (props: Record<string, unknown>) => resource("gcp:container/cluster:Cluster", "gke", { location: "us-central1", ...props });
        const [message] = messagesOf(await check([cluster({ initialNodeCount: 40, nodeConfig: { machineType: "a3-highgpu-8g" } })]), "node-pool-bounds");
        assert.match(message, /\(default pool\) nodeConfig.machineType "a3-highgpu-8g" .*\(default pool\) initialNodeCount × zones 120 exceeds the allowed 20 nodes; it runs GPU nodes/);
        assert.deepEqual(messagesOf(await check([cluster({ enableAutopilot: true }), cluster({ removeDefaultNodePool: true, initialNodeCount: 1 })]), "node-pool-bounds"), []);
    });

    it("caps a known type's vCPUs, and reads a type the table lacks from nodeShapes", async () => {
        assert.match(messagesOf(await check([nodeGroup("m6i.16xlarge", 4)]), "node-pool-bounds")[0], /"m6i.16xlarge" has 64 vCPUs, above the allowed 16/);
        const described = await check([nodeGroup("m8i.large", 4)], { "node-pool-bounds": { nodeShapes: { "m8i.large": "2/8Gi/29" } } });
        assert.deepEqual(messagesOf(described, "node-pool-bounds"), []);
    });
});

describe("cost caps: replicas without an HPA", () => {
    it("caps spec.replicas on Deployments, ReplicaSets and their patches", async () => {
        assert.equal(replicaCountProblem(undefined, 20), undefined);
        assert.equal(replicaCountProblem(500, 20), "spec.replicas 500 exceeds the allowed maximum 20");
        const result = await check([
            resource("kubernetes:apps/v1:Deployment", "huge", { spec: { replicas: 500, template: { spec: { containers: [container()] } } } }),
            resource("kubernetes:apps/v1:ReplicaSetPatch", "bump", { spec: { replicas: 50 } }),
            resource("kubernetes:apps/v1:Deployment", "fine", deploymentProps()),
        ]);
        const messages = messagesOf(result, "k8s-replica-bounds");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /Deployment "huge": spec.replicas 500 exceeds the allowed maximum 20\. Required: at most 20 replicas\. Fix: lower spec.replicas, or leave it unset and scale with a HorizontalPodAutoscaler/);
        assert.match(messages[1], /ReplicaSetPatch "bump": spec.replicas 50/);
    });
});

describe("cost caps: Lambda provisioned concurrency", () => {
    it("fails provisioned concurrency above the cap and names what it costs, passes one inside", async () => {
        const warm = (n: number) => resource("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "warm", { functionName: "fn", qualifier: "live", provisionedConcurrentExecutions: n });
        assert.match(messagesOf(await check([warm(5000)]), "lambda-limits")[0], /provisionedConcurrentExecutions 5000 \(instances kept warm and billed while idle\) exceeds the allowed maximum 10/);
        assert.deepEqual(messagesOf(await check([warm(2)]), "lambda-limits"), []);
    });

    it("says what a reservedConcurrentExecutions above the cap means", async () => {
        const fn = resource("aws:lambda/function:Function", "fn", lambdaProps({ reservedConcurrentExecutions: 300 }));
        assert.match(messagesOf(await check([fn]), "lambda-limits")[0], /reservedConcurrentExecutions 300 \(the most instances the function may run at once\) exceeds the allowed maximum 100/);
    });
});

describe("node fit and capacity (issue 11)", () => {
    it("sums containers and takes the largest init container, a limit standing in for a missing request", () => {
        const pod = { containers: [{ resources: { requests: { cpu: "500m", memory: "1Gi" } } }, { resources: { limits: { cpu: "1", memory: "512Mi" } } }], initContainers: [{ resources: { requests: { cpu: "2", memory: "256Mi" } } }] };
        assert.deepEqual(podRequestOf(pod), { cpuMillis: 2000, memoryMiB: 1536 });
    });

    it("fails a replica that fits no node of the stack's pools, suggesting types that fit, as one finding", async () => {
        const hpa = resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "autoscaler", { spec: { minReplicas: 2, maxReplicas: 20, scaleTargetRef: { kind: "Deployment", name: "inference" } } });
        const result = await check([nodeGroup("m6i.large", 10), deployment("2", "4Gi"), hpa]);
        assert.deepEqual(messagesOf(result, "k8s-node-capacity"), [], "capacity does not repeat the node-fit cause");
        const [message] = messagesOf(result, "k8s-node-fit");
        assert.match(message, /Deployment "inference" requests cpu 2 \/ memory 4Gi per replica, but aws:eks\/nodeGroup:NodeGroup "nodes"'s m6i.large \(2 vCPU \/ 8Gi\) leaves pods cpu \d+m/);
        assert.match(message, /Fix: use a node type that fits, e.g. m6i.xlarge/);
    });

    it("passes a replica that fits, and says nothing without node pools (Autopilot)", async () => {
        assert.deepEqual(messagesOf(await check([nodeGroup("c6i.2xlarge", 10), deployment("2", "4Gi")]), "k8s-node-fit"), []);
        assert.deepEqual(messagesOf(await check([deployment("2", "4Gi")]), "k8s-node-fit"), []);
    });

    it("warns (advisory) when the HPA's maxReplicas exceed what the pools hold at their maximum", async () => {
        const hpa = resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "autoscaler", { spec: { minReplicas: 2, maxReplicas: 20, scaleTargetRef: { kind: "Deployment", name: "inference" } } });
        const result = await check([nodeGroup("m6i.xlarge", 5), deployment("2", "4Gi"), hpa]);
        const [violation] = result.violations.filter((v) => v.policyName === "k8s-node-capacity");
        assert.equal(violation.enforcementLevel, "advisory");
        assert.match(violation.message, /may scale to 20 replicas of cpu 2 \/ memory 4Gi, but the node pools at their maximum \(5 × m6i.xlarge \(1 per node\)\) hold 5; 15 would stay Pending/);
        assert.deepEqual(messagesOf(await check([nodeGroup("m6i.xlarge", 20), deployment("2", "4Gi"), hpa]), "k8s-node-capacity"), []);
    });
});
