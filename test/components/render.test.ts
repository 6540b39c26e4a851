import { strict as assert } from "node:assert";
import * as path from "node:path";
import { isUnknown, readStackConfigFile, renderStack } from "../../plan/render";

const stacksDir = path.resolve(__dirname, "../../stacks");

describe("offline render (plan/render.ts)", () => {
    it("reads a stack file into fully-qualified string config", () => {
        const { stack, config } = readStackConfigFile(path.join(stacksDir, "Pulumi.dev.yaml"));
        assert.equal(stack, "dev");
        assert.equal(config["model-serving:backend"], "lambda");
        assert.equal(config["aws:region"], "us-east-1");
        assert.equal(typeof config["model-serving:minReplicas"], "string");
    });

    it("renders the same stack repeatedly in one process with config and mocks reset between runs", async () => {
        const { stack, config } = readStackConfigFile(path.join(stacksDir, "Pulumi.dev.yaml"));
        const first = await renderStack({ stack, config });
        const other = await renderStack({ stack: "other", config: { ...config, "model-serving:serviceName": "other-svc" } });
        const again = await renderStack({ stack, config });
        assert.deepEqual(again.resources, first.resources);
        assert.ok(other.resources.every((r) => !JSON.stringify(r.inputs).includes("property-valuation-lambda")));
        assert.equal(first.resources[0].type, "pulumi:pulumi:Stack");
        assert.ok(first.resources.slice(1).every((r) => r.parent), "every resource but the stack has a parent");
    });

    it("keeps values that are unknown until apply recognisable in a preview and concrete in an update", async () => {
        const { stack, config } = readStackConfigFile(path.join(stacksDir, "Pulumi.dev.yaml"));
        const fn = (r: Awaited<ReturnType<typeof renderStack>>) => r.resources.find((x) => x.type === "aws:lambda/function:Function")!;
        const preview = await renderStack({ stack, config, preview: true });
        const update = await renderStack({ stack, config, preview: false });
        assert.ok(isUnknown(fn(preview).inputs.imageUri));
        assert.ok(isUnknown(preview.outputs.url));
        assert.match(String(fn(update).inputs.imageUri), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/property-valuation-dev@sha256:[0-9a-f]{64}$/);
    });

    it("rejects an invalid stack with the validation message", async () => {
        const { stack, config } = readStackConfigFile(path.join(stacksDir, "Pulumi.dev.yaml"));
        await assert.rejects(renderStack({ stack, config: { ...config, "model-serving:backend": "lamda" } }),
            /stacks\/Pulumi\.dev\.yaml: model-serving:backend "lamda" is not one of eks, gke, cloudrun, lambda/);
    });
});
