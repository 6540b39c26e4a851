import { strict as assert } from "node:assert";
import * as path from "node:path";
import { promotedConfig, rolledBackConfig } from "../../components/rollout/canary";
import { readStackConfigFile, renderStack, type RenderedStack } from "../../plan/render";
import { all, input, one } from "../components/helpers";

/**
 * Each backend's shipped stack with a 10% canary renders the platform's own split; promotion and rollback are the
 * config transforms docs/rollout.md shows, and render one version again with nothing of the canary left.
 */

const CANARY = { "model-serving:canaryModelVersion": "2", "model-serving:canaryPercent": "10" };

function shipped(stack: string): { stack: string; config: Record<string, string> } {
    return readStackConfigFile(path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`));
}

function renderOf(stack: string, config: Record<string, string>): Promise<RenderedStack> {
    return renderStack({ stack, config, configFile: `stacks/Pulumi.${stack}.yaml` });
}

/** Resource types and names, without the inputs: what "the same stack" means for promotion and rollback. */
function shape(stack: RenderedStack): string[] {
    return stack.resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** Everything that mentions the canary: resources named after it, and inputs naming its version or tag. */
function canaryLeftovers(stack: RenderedStack): string[] {
    return stack.resources.filter((r) => /canary/.test(r.name) || /"canary"|canary---|-canary"/.test(JSON.stringify(r.inputs))).map((r) => `${r.type} ${r.name}`);
}

describe("rollout under mocks: Lambda (stacks/Pulumi.dev.yaml)", () => {
    const dev = shipped("dev");

    it("routes 10% of the live alias to the version this update publishes, the rest to the deployed one", async () => {
        const stack = await renderOf("dev", { ...dev.config, ...CANARY });
        const alias = one(stack, "aws:lambda/alias:Alias");
        // The mocked deployed alias points at "41"; the mocked publish of this update is version "1".
        assert.equal(input(alias, "functionVersion"), "41");
        assert.deepEqual(input(alias, "routingConfig"), { additionalVersionWeights: { "1": 0.1 } });
        const fn = one(stack, "aws:lambda/function:Function");
        assert.equal(input(fn, "environment.variables.MODEL_VERSION"), "2", "the published configuration is the canary's");
        const alarms = all(stack, "aws:cloudwatch/metricAlarm:MetricAlarm");
        const canaryAlarms = alarms.filter((a) => JSON.stringify(input(a, "metricQueries")).includes('"ExecutedVersion":"1"'));
        assert.equal(canaryAlarms.length, 2, "5xx share and p99 on the canary version");
    });

    it("renders one version again on promotion and on rollback, with nothing of the canary left", async () => {
        const canary = { ...dev.config, ...CANARY };
        const single = await renderOf("dev", dev.config);
        for (const [what, config, version] of [["promotion", promotedConfig(canary), "2"], ["rollback", rolledBackConfig(canary), "1"]] as const) {
            const stack = await renderOf("dev", config);
            assert.deepEqual(shape(stack), shape(single), what);
            const alias = one(stack, "aws:lambda/alias:Alias");
            assert.equal(input(alias, "functionVersion"), "1", `${what}: the alias points at this update's version only`);
            assert.equal(input(alias, "routingConfig"), undefined, what);
            assert.equal(input(one(stack, "aws:lambda/function:Function"), "environment.variables.MODEL_VERSION"), version, what);
            assert.deepEqual(canaryLeftovers(stack), [], what);
        }
    });
});

describe("rollout under mocks: Cloud Run (stacks/Pulumi.staging.yaml)", () => {
    const staging = shipped("staging");
    type Target = { type: string; percent: number; revision?: string; tag?: string };

    it("splits traffic 90/10 between the stable revision and the tagged canary revision", async () => {
        const single = one(await renderOf("staging", staging.config), "gcp:cloudrunv2/service:Service");
        const stack = await renderOf("staging", { ...staging.config, ...CANARY });
        const service = one(stack, "gcp:cloudrunv2/service:Service");
        const traffic = input(service, "traffics") as Target[];
        assert.deepEqual(traffic.map((t) => [t.type, t.percent, t.tag]), [
            ["TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", 90, "stable"],
            ["TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", 10, "canary"],
        ]);
        // The stable revision is the one the single-version stack deploys; the canary's is this update's template.
        assert.equal(traffic[0].revision, input(single, "template.revision"));
        assert.equal(traffic[1].revision, input(service, "template.revision"));
        assert.match(String(traffic[1].revision), /^property-valuation-staging-m2-[0-9a-f]{8}$/);
        const env = input(service, "template.containers") as Array<{ envs: Array<{ name: string; value: string }> }>;
        assert.equal(env[0].envs.find((e) => e.name === "MODEL_VERSION")?.value ?? env[0].envs.find((e) => e.name === "MODEL_DIR")?.value.split("/").pop(), "2");
    });

    it("renders one version again on promotion and on rollback: all traffic to the latest revision, nothing of the canary left", async () => {
        const canary = { ...staging.config, ...CANARY };
        const single = await renderOf("staging", staging.config);
        const stableRevision = input(one(single, "gcp:cloudrunv2/service:Service"), "template.revision");
        const canaryRevision = input(one(await renderOf("staging", canary), "gcp:cloudrunv2/service:Service"), "template.revision");
        for (const [what, config, revision] of [["promotion", promotedConfig(canary), canaryRevision], ["rollback", rolledBackConfig(canary), stableRevision]] as const) {
            const stack = await renderOf("staging", config);
            assert.deepEqual(shape(stack), shape(single), what);
            const service = one(stack, "gcp:cloudrunv2/service:Service");
            assert.deepEqual(input(service, "traffics"), [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }], what);
            // Promotion serves the canary's revision itself (no new one); rollback names the stable revision again.
            assert.equal(input(service, "template.revision"), revision, what);
            assert.deepEqual(canaryLeftovers(stack), [], what);
        }
    });
});
