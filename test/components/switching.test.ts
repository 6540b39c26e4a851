import { strict as assert } from "node:assert";
import * as path from "node:path";
import { readStackConfigFile, renderStack } from "../../plan/render";

const stacksDir = path.resolve(__dirname, "../../stacks");
const REGION_KEYS = ["aws:region", "gcp:region", "gcp:project"];
const TARGETS: Record<string, Record<string, string>> = {
    lambda: { "model-serving:backend": "lambda", "aws:region": "us-east-1" },
    eks: { "model-serving:backend": "eks", "aws:region": "us-east-1" },
    cloudrun: { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "acme-ml" },
    gke: { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "acme-ml" },
};

/** A stack's config moved to another backend: only the backend key and the target cloud's region keys change. */
function moved(stackName: string, backend: string): { stack: string; config: Record<string, string> } {
    const { stack, config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stackName}.yaml`));
    const kept = Object.fromEntries(Object.entries(config).filter(([key]) => !REGION_KEYS.includes(key)));
    return { stack, config: { ...kept, ...TARGETS[backend] } };
}

describe("moving a service between backends is a config change", () => {
    for (const backend of ["eks", "gke", "cloudrun"]) {
        it(`moves dev from lambda to ${backend} by changing only the backend and region keys`, async () => {
            const rendered = await renderStack(moved("dev", backend));
            assert.equal(rendered.outputs.backend, backend);
            assert.equal(rendered.outputs.modelVersion, "1");
        });
    }

    it("moves prod-aws from eks to gke keeping its sizing, scaling and metrics adapter", async () => {
        const rendered = await renderStack(moved("prod-aws", "gke"));
        const hpa = rendered.resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
        assert.deepEqual([(hpa.inputs.spec as { minReplicas: number }).minReplicas, (hpa.inputs.spec as { maxReplicas: number }).maxReplicas], [3, 20]);
        assert.ok(rendered.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release"));
        assert.ok(rendered.resources.some((r) => r.type === "gcp:container/cluster:Cluster"));
    });

    it("switching backend to lambda removes every Kubernetes resource", async () => {
        const before = await renderStack(moved("prod-aws", "eks"));
        assert.ok(before.resources.some((r) => r.type.startsWith("kubernetes:")));
        const after = await renderStack(moved("dev", "lambda"));
        const prodOnLambda = await renderStack({ ...moved("prod-aws", "lambda"), config: Object.fromEntries(Object.entries(moved("prod-aws", "lambda").config).filter(([key]) => !/installMetricsAdapter|nodeM/.test(key))) });
        for (const stack of [after, prodOnLambda]) {
            assert.deepEqual(stack.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes"), []);
            assert.ok(stack.resources.some((r) => r.type === "aws:lambda/function:Function"));
        }
    });

    it("names the settings to remove when a stack tuned for one backend moves to another", async () => {
        await assert.rejects(renderStack(moved("prod-gcp", "eks")), (error: Error) => {
            assert.match(error.message, /stacks\/Pulumi\.prod-gcp\.yaml: model-serving:gkeMode "standard" is a gke setting; backend eks does not use it/);
            assert.match(error.message, /model-serving:nodeMachineType "e2-standard-8" is a gke setting/);
            return true;
        });
    });
});
