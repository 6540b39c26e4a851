import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { parseStackConfig } from "../../components/config/parse";
import { specProblems } from "../../components/validate";
import { EC2_INSTANCE_TYPES, GCE_MACHINE_TYPES, eksReservedMemoryMiB, gkeReservedMemoryMiB, parseNodeShape, podAllocatable, replicasPerNode, reservedCpuMillis } from "../../policies/platform/instance-types";
import { autopilotProblems } from "../../policies/platform/limits";
import { GiB, MiB } from "../../policies/platform/quantity";
import { projectConfigDefaults, readStackConfigFile } from "../../plan/render";
import { problemsOf } from "./helpers";

const SOURCE = "stacks/Pulumi.test.yaml";
const stacksDir = path.resolve(__dirname, "../../stacks");
const lambda = { "model-serving:backend": "lambda", "aws:region": "us-east-1" };
const eks = { "model-serving:backend": "eks", "aws:region": "us-east-1" };
const cloudrun = { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "p" };
const gke = { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "p" };

describe("node shapes: the providers' published reservations", () => {
    it("reserves CPU by the EKS AL2023 / GKE tiers: 6 % of the first core, 1 % of the second, 0.5 % up to 4, 0.25 % above", () => {
        assert.equal(reservedCpuMillis(1), 60);
        assert.equal(reservedCpuMillis(2), 70);
        assert.equal(reservedCpuMillis(4), 80);
        assert.equal(reservedCpuMillis(8), 90);
    });

    it("reserves EKS memory per pod the VPC CNI allows (11 MiB × maxPods + 255) and GKE memory by its tiers", () => {
        assert.equal(EC2_INSTANCE_TYPES["m6i.large"].maxPods, 29);
        assert.equal(EC2_INSTANCE_TYPES["m6i.4xlarge"].maxPods, 234);
        assert.equal(eksReservedMemoryMiB(29), 574);
        assert.equal(gkeReservedMemoryMiB(512), 255);
        assert.equal(gkeReservedMemoryMiB(4096), 1024);
        assert.equal(gkeReservedMemoryMiB(16384), 1024 + 819.2 + 819.2);
        assert.equal(GCE_MACHINE_TYPES["e2-standard-8"].memoryMiB, 32 * 1024);
    });

    it("never lets more replicas fit than the node's nominal size allows, and fewer on a smaller node", () => {
        const types = Object.values(EC2_INSTANCE_TYPES);
        fc.assert(fc.property(fc.constantFrom(...types), fc.integer({ min: 100, max: 8000 }), fc.integer({ min: 128, max: 32768 }), (shape, cpuMillis, memoryMiB) => {
            const fit = replicasPerNode("eks", shape, { cpuMillis, memoryMiB });
            return fit * cpuMillis <= shape.vcpus * 1000 && fit * memoryMiB <= shape.memoryMiB;
        }));
        assert.ok(podAllocatable("eks", EC2_INSTANCE_TYPES["m6i.large"]).cpuMillis < 2000, "an m6i.large cannot hold a 2 vCPU request");
        assert.equal(replicasPerNode("eks", EC2_INSTANCE_TYPES["t3.medium"], { cpuMillis: 10, memoryMiB: 16 }), 17 - 4, "the VPC CNI's pod limit caps tiny replicas, DaemonSets included");
    });

    it("reads a user-described node shape and names what is wrong with a bad one", () => {
        assert.deepEqual(parseNodeShape("16/64Gi/234"), { vcpus: 16, memoryMiB: 65536, arch: "x86_64", maxPods: 234 });
        assert.deepEqual(parseNodeShape("4/16Gi/58/arm64"), { vcpus: 4, memoryMiB: 16384, arch: "arm64", maxPods: 58 });
        assert.equal((parseNodeShape("4/16Gi/arm64") as { arch: string }).arch, "arm64");
        assert.match(String(parseNodeShape("16 cores")), /is not "<vCPUs>\/<memory>\[\/<maxPods>\]\[\/arm64\]"/);
        assert.match(String(parseNodeShape("16/64")), /memory "64" is not a quantity of at least 1Gi/);
    });

    it("accepts Autopilot requests between 1 and 6.5 GiB per vCPU in 250m steps and names each rule broken", () => {
        assert.deepEqual(autopilotProblems(2, 4 * GiB), []);
        assert.match(autopilotProblems(2, GiB).join(), /0.5 GiB per vCPU; Autopilot needs 1 to 6.5/);
        assert.match(autopilotProblems(0.3, GiB).join(), /cpu 300m is not a multiple of 250m/);
        assert.match(autopilotProblems(0.1, 256 * MiB).join(), /below Autopilot's 250m minimum.*below Autopilot's 512Mi minimum/);
    });
});

describe("config rules: refused before anything is created, naming file, keys, values and a fix", () => {
    it("refuses a replica that cannot fit one node of the configured type, naming both keys and a type that fits", () => {
        const [problem, ...rest] = problemsOf({ ...eks, "model-serving:nodeInstanceType": "m6i.large", "model-serving:cpu": "2", "model-serving:memory": "4Gi" });
        assert.equal(rest.length, 0);
        assert.match(problem, /^stacks\/Pulumi\.test\.yaml: model-serving:cpu "2", model-serving:memory "4Gi" and model-serving:nodeInstanceType "m6i\.large": one replica does not fit one node/);
        assert.match(problem, /leaves 1730m CPU/);
        assert.match(problem, /use model-serving:nodeInstanceType m6i\.xlarge \(1 replica per node\)/);
    });

    it("checks GKE Standard node pools the same way, with GKE's reservation", () => {
        assert.match(problemsOf({ ...gke, "model-serving:gkeMode": "standard", "model-serving:nodeMachineType": "e2-standard-2", "model-serving:cpu": "2" })[0],
            /model-serving:nodeMachineType "e2-standard-2": one replica does not fit one node\. A e2-standard-2 \(2 vCPU \/ 8Gi\) leaves .* after GKE's kubelet reservation.*use model-serving:nodeMachineType e2-standard-4/);
    });

    it("refuses a node type it does not know unless the stack describes it, and then checks the description", () => {
        assert.match(problemsOf({ ...eks, "model-serving:nodeInstanceType": "x9z.large" })[0], /model-serving:nodeInstanceType "x9z\.large" is not in the node table .* describe it with model-serving:nodeInstanceShape/);
        assert.doesNotThrow(() => parseStackConfig({ ...eks, "model-serving:nodeInstanceType": "x9z.large", "model-serving:nodeInstanceShape": "8/32Gi/58" }, SOURCE));
        assert.match(problemsOf({ ...eks, "model-serving:nodeInstanceType": "x9z.large", "model-serving:nodeInstanceShape": "2/4Gi", "model-serving:cpu": "2" })[0], /one replica does not fit one node/);
    });

    it("warns, without refusing, when nodeMax nodes cannot hold maxReplicas", () => {
        const { warnings } = parseStackConfig({ ...eks, "model-serving:maxReplicas": "20", "model-serving:nodeMax": "4" }, SOURCE);
        assert.deepEqual(warnings, ["stacks/Pulumi.test.yaml: model-serving:maxReplicas 20 and model-serving:nodeMax 4: 4 nodes of m6i.large hold 4 replicas (1 replica per node); HPA replicas beyond that would stay Pending. Raise model-serving:nodeMax to 20, use a larger model-serving:nodeInstanceType or lower model-serving:maxReplicas"]);
    });

    it("refuses requests GKE Autopilot would rewrite, with the nearest it accepts", () => {
        assert.match(problemsOf({ ...gke, "model-serving:cpu": "2", "model-serving:memory": "1Gi" })[0],
            /model-serving:cpu "2", model-serving:memory "1Gi" and model-serving:gkeMode "autopilot": memory 1Gi for cpu 2 is 0\.5 GiB per vCPU; Autopilot needs 1 to 6\.5\..* use cpu 2 \/ memory 2Gi/);
    });

    it("refuses Cloud Run gen2 below 512Mi", () => {
        assert.match(problemsOf({ ...cloudrun, "model-serving:memory": "256Mi" })[0], /model-serving:memory "256Mi" does not fit cloudrun: memory 256Mi is below the 512Mi the second-generation execution environment needs/);
    });

    it("refuses a Lambda schedule whose cron Application Auto Scaling cannot express, at config time", () => {
        assert.match(problemsOf({ ...lambda, "model-serving:scalingSchedule": '["monthly 2 0 9 1 * 1-5"]' })[0],
            /model-serving:scalingSchedule "monthly 2 0 9 1 \* 1-5" cannot run on Lambda \(Application Auto Scaling cron\): cron "0 9 1 \* 1-5" restricts both day-of-month and day-of-week/);
    });

    it("refuses an HTTP API front door with a timeout above API Gateway's 30 s", () => {
        assert.match(problemsOf({ ...lambda, "model-serving:lambdaEndpoint": "http-api", "model-serving:requestTimeoutSeconds": "60" })[0],
            /model-serving:requestTimeoutSeconds 60 and model-serving:lambdaEndpoint "http-api": API Gateway HTTP APIs end every integration after 30 s/);
        assert.doesNotThrow(() => parseStackConfig({ ...lambda, "model-serving:requestTimeoutSeconds": "60" }, SOURCE));
    });

    it("refuses a bucket model on EKS with an existing cluster, naming both keys", () => {
        assert.match(problemsOf({ ...eks, "model-serving:modelSource": "bucket", "model-serving:kubeconfig": "apiVersion: v1" })[0],
            /model-serving:modelSource "bucket" and model-serving:kubeconfig "\[secret\]" needs the new EKS cluster/);
    });

    it("warns when the adapter would install a second Prometheus beside the operator's, and not once it queries that one", () => {
        const operator = { "model-serving:installMetricsAdapter": "true", "model-serving:prometheusOperator": "true" };
        for (const stack of [eks, gke]) {
            assert.match(parseStackConfig({ ...stack, ...operator }, SOURCE).warnings.join(),
                /model-serving:prometheusOperator true and model-serving:installPrometheus true would run a second Prometheus beside the operator's; set model-serving:installPrometheus false and model-serving:prometheusUrl to the operator's Prometheus \(kube-prometheus-stack: http:\/\/kube-prometheus-stack-prometheus\.monitoring\.svc:9090\)/);
            const queried = { ...stack, ...operator, "model-serving:installPrometheus": "false", "model-serving:prometheusUrl": "http://kube-prometheus-stack-prometheus.monitoring.svc:9090" };
            assert.deepEqual(parseStackConfig(queried, SOURCE).warnings, []);
        }
        assert.deepEqual(parseStackConfig({ ...eks, "model-serving:prometheusOperator": "true" }, SOURCE).warnings, [], "no adapter, no Prometheus installed");
    });

    it("warns when Lambda's reserved concurrency exceeds what the default account quota can reserve", () => {
        assert.match(parseStackConfig({ ...lambda, "model-serving:maxReplicas": "950" }, SOURCE).warnings.join(), /model-serving:maxReplicas 950 is Lambda reserved concurrency.*at most 900/);
    });
});

describe("the component never refuses what the parser accepted", () => {
    const shipped = fs.readdirSync(stacksDir).filter((file) => /^Pulumi\..+\.yaml$/.test(file));
    for (const file of shipped) {
        const { config } = readStackConfigFile(path.join(stacksDir, file));
        const backends = "aws:region" in config ? ["eks", "lambda", "hybrid"] : ["gke", "cloudrun", "hybrid"];
        it(`${file} on ${backends.join(", ")}`, () => {
            for (const backend of backends) {
                const { service, platform } = parseStackConfig({ ...projectConfigDefaults(), ...config, "model-serving:backend": backend }, file);
                assert.deepEqual(specProblems(service, platform), [], `${file} as ${backend}`);
            }
        });
    }

    it("refuses a hybrid platform built in code whose overflow is not its baseline's pair", () => {
        const { service, platform } = parseStackConfig({ ...gke, "model-serving:backend": "hybrid" }, SOURCE);
        const lambdaOverflow = parseStackConfig(lambda, SOURCE).platform;
        assert.ok(platform.backend === "hybrid" && lambdaOverflow.backend === "lambda");
        assert.deepEqual(specProblems(service, { ...platform, overflow: lambdaOverflow }), ['model-serving:hybridBaseline "gke" pairs with a cloudrun overflow, not lambda (eks + lambda, gke + cloudrun)']);
    });

    it("for generated sizes and timeouts on every backend: whatever the parser accepts, ModelService accepts", () => {
        const configs = [lambda, eks, cloudrun, gke, { ...eks, "model-serving:backend": "hybrid" }, { ...gke, "model-serving:backend": "hybrid" }];
        fc.assert(fc.property(fc.constantFrom(...configs), fc.constantFrom("250m", "500m", "1", "2", "3", "4", "8"), fc.constantFrom("256Mi", "512Mi", "1Gi", "2Gi", "4Gi", "16Gi"), fc.integer({ min: 1, max: 3600 }), (base, cpu, memory, timeout) => {
            try {
                const { service, platform } = parseStackConfig({ ...base, "model-serving:cpu": cpu, "model-serving:memory": memory, "model-serving:requestTimeoutSeconds": String(timeout) }, SOURCE);
                return specProblems(service, platform).length === 0;
            } catch {
                return true;
            }
        }), { numRuns: 300 });
    });
});
