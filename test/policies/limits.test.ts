import { strict as assert } from "node:assert";
import { cloudRunProblems } from "../../policies/limits/cloud-run";
import { containerResourceProblems } from "../../policies/limits/containers";
import { hpaProblems } from "../../policies/limits/hpa";
import { lambdaProblems } from "../../policies/limits/lambda";
import { check, messagesOf, resource } from "./harness";
import { cloudRunProps, container, deploymentProps, lambdaProps } from "./workloads";

const maxima = { maxCpu: "4", maxMemory: "16Gi" };

describe("resource limits: container resources", () => {
    it("accepts a container with requests at or below limits at or below the maxima", () => {
        assert.deepEqual(containerResourceProblems(container().resources, maxima), []);
    });

    it("names every missing request and limit", () => {
        assert.deepEqual(containerResourceProblems({ limits: { cpu: "1" } }, maxima), [
            "resources.requests.cpu is not set", "resources.requests.memory is not set", "resources.limits.memory is not set",
        ]);
    });

    it("rejects a request above its limit and a limit above the maximum", () => {
        const problems = containerResourceProblems({ requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "32Gi" } }, maxima);
        assert.deepEqual(problems, ["resources.requests.cpu 2 exceeds resources.limits.cpu 1", "resources.limits.memory 32Gi exceeds the allowed maximum 16Gi"]);
    });

    it("passes a Deployment whose containers and init containers all set limits", async () => {
        const result = await check([resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps([container()], [container({ name: "fetch-model" })]))]);
        assert.deepEqual(messagesOf(result, "k8s-container-resources"), []);
    });

    it("fails a CronJob whose init container has no limits, naming the container", async () => {
        const noLimits = container({ name: "warmup", resources: { requests: { cpu: "100m", memory: "64Mi" } } });
        const props = { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [container()], initContainers: [noLimits] } } } } } };
        const [message] = messagesOf(await check([resource("kubernetes:batch/v1:CronJob", "refresh", props)]), "k8s-container-resources");
        assert.match(message, /initContainer "warmup": resources.limits.cpu is not set; resources.limits.memory is not set/);
    });

    it("applies the configured maxima from the policy config", async () => {
        const result = await check([resource("kubernetes:core/v1:Pod", "debug", { spec: { containers: [container()] } })], { "k8s-container-resources": { maxMemory: "1Gi" } });
        assert.match(messagesOf(result, "k8s-container-resources")[0], /limits.memory 2Gi exceeds the allowed maximum 1Gi/);
    });
});

describe("resource limits: HPA bounds", () => {
    it("accepts a range inside the bounds and defaults minReplicas to 1", () => {
        assert.deepEqual(hpaProblems({ maxReplicas: 10 }, { minReplicas: 1, maxReplicas: 20 }), []);
    });

    it("rejects a missing maxReplicas, a max above the ceiling and min above max", () => {
        assert.deepEqual(hpaProblems({ minReplicas: 2 }, { minReplicas: 1, maxReplicas: 20 }), ["spec.maxReplicas is not set"]);
        assert.deepEqual(hpaProblems({ minReplicas: 30, maxReplicas: 25 }, { minReplicas: 1, maxReplicas: 20 }), [
            "spec.maxReplicas 25 exceeds the allowed maximum 20", "spec.minReplicas 30 exceeds spec.maxReplicas 25",
        ]);
    });

    it("reports an HPA whose maxReplicas exceeds the configured ceiling", async () => {
        const hpa = resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "inference", { spec: { minReplicas: 2, maxReplicas: 50 } });
        assert.match(messagesOf(await check([hpa]), "k8s-hpa-bounds")[0], /maxReplicas 50 exceeds the allowed maximum 20/);
        assert.deepEqual(messagesOf(await check([hpa], { "k8s-hpa-bounds": { maxReplicas: 50 } }), "k8s-hpa-bounds"), []);
    });
});

describe("resource limits: Lambda", () => {
    const bounds = { maxMemorySize: 3008, maxTimeout: 60, maxReservedConcurrentExecutions: 100, maxProvisionedConcurrentExecutions: 10 };

    it("accepts memory, timeout and reserved concurrency inside the bounds", () => {
        assert.deepEqual(lambdaProblems(lambdaProps(), bounds), []);
    });

    it("treats an unset or -1 reservedConcurrentExecutions as missing", () => {
        assert.deepEqual(lambdaProblems(lambdaProps({ reservedConcurrentExecutions: -1 }), bounds), [
            "reservedConcurrentExecutions is not set (the function could take the account's whole concurrency)",
        ]);
    });

    it("fails an oversized function through the pack", async () => {
        const fn = resource("aws:lambda/function:Function", "inference", lambdaProps({ memorySize: 10240, timeout: 900 }));
        assert.match(messagesOf(await check([fn]), "lambda-limits")[0], /memorySize 10240 MB is outside 128..3008 MB; timeout 900 s is outside 1..60 s/);
    });
});

describe("resource limits: Cloud Run", () => {
    const crBounds = { maxCpu: 4, maxMemory: "8Gi", maxInstanceCount: 20, maxConcurrency: 100 };
    const v2 = "gcp:cloudrunv2/service:Service";

    it("accepts a sized, capped service and checks the pair with the platform's Cloud Run table", () => {
        assert.deepEqual(cloudRunProblems(v2, cloudRunProps(), crBounds), []);
        assert.deepEqual(cloudRunProblems(v2, cloudRunProps({ cpu: "4", memory: "1Gi" }), crBounds), [
            "template.containers[0] memory 1Gi is outside the 2048Mi to 16384Mi Cloud Run allows with cpu 4",
        ]);
    });

    it("caps requests per instance, counting Cloud Run's default of 80 when unset", () => {
        const props = cloudRunProps();
        (props.template as Record<string, unknown>).maxInstanceRequestConcurrency = 5000;
        assert.deepEqual(cloudRunProblems(v2, props, crBounds), ["template.maxInstanceRequestConcurrency 5000 is outside 1..100"]);
        assert.deepEqual(cloudRunProblems(v2, cloudRunProps(), { ...crBounds, maxConcurrency: 40 }), ["template.maxInstanceRequestConcurrency 80 (Cloud Run's default) is outside 1..40"]);
    });

    it("reads a Cloud Run v1 service: containerConcurrency and the maxScale annotation", () => {
        const v1 = {
            location: "us-central1",
            template: {
                metadata: { annotations: { "autoscaling.knative.dev/maxScale": "500" } },
                spec: { containerConcurrency: 1000, containers: [{ image: "x", resources: { limits: { cpu: "1", memory: "1Gi" } } }] },
            },
        };
        assert.deepEqual(cloudRunProblems("gcp:cloudrun/service:Service", v1, crBounds), [
            "template.spec.containerConcurrency 1000 is outside 1..100",
            "template.metadata.annotations[autoscaling.knative.dev/maxScale] 500 is outside 1..20",
        ]);
    });

    it("passes a sized and capped service and fails one without maxInstanceCount or over the bounds", async () => {
        const ok = resource("gcp:cloudrunv2/service:Service", "inference", cloudRunProps());
        assert.deepEqual(messagesOf(await check([ok]), "cloudrun-limits"), []);
        const props = cloudRunProps({ cpu: "8", memory: "16Gi" });
        delete (props.template as { scaling?: unknown }).scaling;
        const [message] = messagesOf(await check([resource("gcp:cloudrunv2/service:Service", "big", props)]), "cloudrun-limits");
        assert.match(message, /cpu 8 exceeds the allowed maximum 4/);
        assert.match(message, /memory 16Gi exceeds the allowed maximum 8Gi/);
        assert.match(message, /template.scaling.maxInstanceCount is not set/);
    });
});
