import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../components/config/parse";
import { ModelService } from "../../components/model-service";
import type { StackSpec } from "../../components/spec";

/** A valid spec for a backend, to break one field at a time. */
function spec(config: Record<string, string>): StackSpec {
    const { service, platform } = parseStackConfig(config, "stacks/Pulumi.unit.yaml");
    return { service, platform };
}

function rejects(args: StackSpec, message: RegExp): void {
    assert.throws(() => new ModelService("svc", args), (error: unknown) => {
        assert.ok(error instanceof pulumi.ResourceError, "bad args raise a ResourceError tied to the component");
        assert.match(error.message, message);
        return true;
    });
}

describe("ModelService args (built in code, not parsed from config)", () => {
    beforeEach(async () => {
        await pulumi.runtime.setMocks({
            newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
            call: () => ({ names: ["us-east-1a", "us-east-1b"] }),
        }, "model-serving", "unit", false);
    });

    const lambda = spec({ "model-serving:backend": "lambda", "aws:region": "us-east-1" });
    const cloudrun = spec({ "model-serving:backend": "cloudrun", "gcp:region": "europe-west4", "gcp:project": "p" });

    it("rejects a minimum above the maximum", () => {
        rejects({ ...lambda, service: { ...lambda.service, scaling: { ...lambda.service.scaling, min: 5, max: 2 } } }, /ModelService svc: model-serving:minReplicas 5 is above model-serving:maxReplicas 2/);
    });

    it("rejects a region outside the service's residency", () => {
        rejects({ ...cloudrun, service: { ...cloudrun.service, residency: { area: "us" } } }, /gcp:region "europe-west4" is outside residency us/);
    });

    it("rejects a bucket-sourced model on Lambda and a size Cloud Run does not offer", () => {
        rejects({ ...lambda, service: { ...lambda.service, model: { ...lambda.service.model, artifact: { source: "bucket", prefix: "m/1/" } } } }, /model-serving:modelSource "bucket" is not available on lambda/);
        rejects({ ...cloudrun, service: { ...cloudrun.service, cpu: "3" } }, /model-serving:cpu "3" and model-serving:memory "2Gi" does not fit cloudrun: cpu 3 is not one of Cloud Run.s 1, 2, 4, 6, 8 vCPUs/);
    });

    it("registers as model-serving:index:ModelService and reports backend, region and model version", async () => {
        const service = new ModelService("svc", lambda);
        const urn = await new Promise<string>((resolve) => service.urn.apply(resolve));
        assert.match(urn, /::model-serving:index:ModelService::svc$/);
        assert.deepEqual([service.backend, service.region, service.modelVersion], ["lambda", "us-east-1", "1"]);
    });
});
