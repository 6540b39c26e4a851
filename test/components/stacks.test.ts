import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { jurisdictionOf } from "../../policies/platform/regions";
import { isUnknown, readStackConfigFile, renderStack, type RenderedResource, type RenderedStack } from "../../plan/render";
import { crdModel, loadCrdModels } from "../rollout/crd-models";

const stacksDir = path.resolve(__dirname, "../../stacks");
const stackFiles = fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f)).sort();

/** Validates a rendered Kubernetes object with kubernetes-models (the Kubernetes OpenAPI schema); throws if invalid. */
function validateKubernetesObject(resource: RenderedResource): void {
    const custom = crdModel(resource.type);
    if (custom) return new custom(resource.inputs).validate();
    const [, group, version, kind] = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(resource.type)!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const models = require(`kubernetes-models/${group === "core" ? "" : `${group}/`}${version}`) as Record<string, new (data: unknown) => { validate(): void }>;
    assert.ok(models[kind], `kubernetes-models has no ${group}/${version} ${kind}`);
    new models[kind](resource.inputs).validate();
}

const kubernetesObjects = (stack: RenderedStack) => stack.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"));

describe("stacks/", () => {
    const rendered = new Map<string, RenderedStack>();
    before(async function () {
        this.timeout(120000);
        await loadCrdModels();
        for (const file of stackFiles) {
            const { stack, config } = readStackConfigFile(path.join(stacksDir, file));
            rendered.set(stack, await renderStack({ stack, config }));
        }
    });

    it("holds at least dev (lambda), staging (cloudrun), prod-aws (eks), prod-gcp (gke) and an EU stack", () => {
        const backends = Object.fromEntries([...rendered].map(([stack, r]) => [stack, r.outputs.backend]));
        assert.deepEqual({ dev: backends.dev, staging: backends.staging, "prod-aws": backends["prod-aws"], "prod-gcp": backends["prod-gcp"] },
            { dev: "lambda", staging: "cloudrun", "prod-aws": "eks", "prod-gcp": "gke" });
        assert.equal(rendered.get("dev")!.config["aws:region"], "us-east-1");
        assert.equal(rendered.get("staging")!.config["gcp:region"], "us-central1");
        const eu = rendered.get("prod-eu")!;
        assert.equal(eu.config["model-serving:residency"], "eu");
        assert.equal(jurisdictionOf(String(eu.outputs.region)), "eu");
    });

    for (const file of stackFiles) {
        it(`renders ${file} with the outputs url, image, backend, region, modelVersion and resource names`, () => {
            const stack = rendered.get(readStackConfigFile(path.join(stacksDir, file)).stack)!;
            assert.ok(stack.resources.length > 5);
            assert.match(String(stack.outputs.url), /^https?:\/\//);
            assert.ok(["eks", "gke", "cloudrun", "lambda", "hybrid"].includes(String(stack.outputs.backend)));
            assert.equal(stack.outputs.modelVersion, "2");
            // Built by the stack and pinned by digest (issue 11).
            assert.match(String(stack.outputs.image), new RegExp(`/property-valuation-${stack.stack}(/property-valuation)?@sha256:[0-9a-f]{64}$`));
            assert.ok(Object.keys(stack.outputs.resourceNames as object).length >= 4);
        });
    }

    it("renders every shipped stack without a warning: its replicas fit its nodes, nodeMax holds maxReplicas, no unused keys", () => {
        for (const stack of rendered.values()) assert.deepEqual(stack.warnings, [], stack.stack);
    });

    it("renders Kubernetes objects that all validate against the Kubernetes OpenAPI schema", () => {
        let checked = 0;
        for (const stack of rendered.values()) {
            for (const resource of kubernetesObjects(stack)) {
                assert.doesNotThrow(() => validateKubernetesObject(resource), `${stack.stack}: ${resource.type} ${resource.name}`);
                checked++;
            }
        }
        assert.ok(checked >= 21, `validated ${checked} objects`);
    });

    it("renders schema-valid Kubernetes objects for variants the stacks do not use (public, bucket-sourced, scheduled, existing cluster)", async function () {
        this.timeout(120000);
        const variants: Record<string, string>[] = [
            { "model-serving:backend": "eks", "aws:region": "us-west-2", "model-serving:exposure": "public", "model-serving:modelSource": "bucket", "model-serving:installMetricsAdapter": "true" },
            { "model-serving:backend": "gke", "gcp:region": "europe-west1", "gcp:project": "p", "model-serving:scalingSchedule": '["workday 4 0 8 * * 1-5","night 1 0 20 * * *"]' },
            { "model-serving:backend": "gke", "gcp:region": "us-east1", "gcp:project": "p", "model-serving:clusterStackReference": "acme/platform/prod", "model-serving:minReplicas": "0" },
            { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "eks", "aws:region": "us-east-1", "model-serving:overflowQueueThreshold": "8" },
        ];
        let checked = 0;
        for (const config of variants) {
            const stack = await renderStack({ stack: "variant", config });
            for (const resource of kubernetesObjects(stack)) {
                assert.doesNotThrow(() => validateKubernetesObject(resource), `${JSON.stringify(config)}: ${resource.type} ${resource.name}`);
                checked++;
            }
        }
        assert.ok(checked >= 21, `validated ${checked} objects`);
    });

    it("would catch an object the API server rejects (the schema check can fail)", () => {
        const deployment = kubernetesObjects(rendered.get("prod-aws")!).find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const broken = structuredClone(deployment);
        ((broken.inputs.spec as { template: { spec: { containers: { ports: unknown[] }[] } } }).template.spec.containers[0].ports[0] as Record<string, unknown>).containerPort = "eighty";
        assert.throws(() => validateKubernetesObject(broken), /containerPort/);
    });

    it("renders every stack as a preview too, leaving cloud-assigned values unknown instead of inventing them", async function () {
        this.timeout(120000);
        for (const file of stackFiles) {
            const { stack, config } = readStackConfigFile(path.join(stacksDir, file));
            const preview = await renderStack({ stack, config, preview: true });
            assert.equal(preview.resources.length, rendered.get(stack)!.resources.length, stack);
            assert.ok(isUnknown(preview.outputs.url) || String(preview.outputs.url).endsWith(".svc.cluster.local"), `${stack}: ${preview.outputs.url}`);
            assert.ok(!JSON.stringify(preview.resources).includes("123456789012"), `${stack}: no mock account ids in a preview`);
        }
    });

    it("places every located resource inside the stack's declared residency", () => {
        for (const stack of rendered.values()) {
            const area = stack.config["model-serving:residency"];
            if (area === "any") continue;
            for (const resource of stack.resources) {
                const location = resource.inputs.region ?? resource.inputs.location;
                if (typeof location === "string") assert.equal(jurisdictionOf(location), area, `${stack.stack}: ${resource.type} ${resource.name} in ${location}`);
            }
        }
    });
});
