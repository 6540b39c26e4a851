import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packEnforcementLevel, packName, packVersion, policies } from "../../policies/pack";
import { parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../plan/policy-config";
import { runPolicies } from "../../plan/policy-engine";
import { policyInputs, renderForPolicies, stackTagsOf } from "../../plan/policy-inputs";
import { checkStack, policyConfigFileFor, ROOT } from "../../plan/policy-stack";
import { readStackConfigFile } from "../../plan/render";
import { WRONG_STACKS } from "./wrong-stacks";

const stacksDir = path.join(ROOT, "stacks");
const fixturesDir = path.join(__dirname, "fixtures");
const stacks = fs.readdirSync(stacksDir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
const mandatory = (check: { violations: { enforcementLevel: string; policyName: string; message: string }[] }) =>
    check.violations.filter((v) => v.enforcementLevel === "mandatory");

describe("every stack in stacks/ against its policy config", function () {
    // Renders load the cloud SDKs and run the program: seconds each, more on a loaded machine.
    this.timeout(120_000);
    it("finds the six stacks", () => {
        assert.deepEqual([...stacks].sort(), ["dev", "prod-aws", "prod-eu", "prod-gcp", "prod-hybrid", "staging"]);
    });

    for (const stack of stacks) {
        it(`${stack}: has a policy config whose residency matches the stack's own`, () => {
            const { config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stack}.yaml`));
            const given = parsePolicyPackConfig(fs.readFileSync(policyConfigFileFor(stack), "utf8"));
            const reconciled = reconcilePolicyPackConfig(policies, packEnforcementLevel, given);
            assert.deepEqual([reconciled.errors, reconciled.unknownPolicies], [[], []]);
            const residencyPolicies = policies.filter((p) => p.configSchema?.properties.residency).map((p) => p.name);
            assert.ok(residencyPolicies.length >= 3, "the locality policies take a residency");
            for (const name of residencyPolicies) {
                assert.equal(reconciled.config[name].properties.residency, config["model-serving:residency"], `${name} residency`);
                assert.deepEqual(reconciled.config[name].properties.allowedRegions, JSON.parse(config["model-serving:allowedRegions"] ?? "[]"), `${name} allowedRegions`);
            }
        });

        it(`${stack}: passes every policy at preview and with resolved values`, async () => {
            for (const preview of [true, false]) {
                const check = await checkStack({ configFile: path.join(stacksDir, `Pulumi.${stack}.yaml`), preview });
                assert.deepEqual(mandatory(check), [], `preview: ${preview}`);
                assert.ok(check.resourceCount > 5);
            }
        });
    }
});

describe("deliberately wrong stacks fail with the expected policy", function () {
    // Renders load the cloud SDKs and run the program: seconds each, more on a loaded machine.
    this.timeout(120_000);
    it("has a case for every fixture file", () => {
        assert.deepEqual(fs.readdirSync(fixturesDir).sort(), WRONG_STACKS.map(({ file }) => path.basename(file)).sort());
    });

    for (const { fixture, file, policyConfig, policy } of WRONG_STACKS) {
        it(`${fixture} fails ${policy} under the ${policyConfig} policy config`, async () => {
            const check = await checkStack({ configFile: file, policyConfigFile: policyConfigFileFor(policyConfig), preview: true });
            assert.deepEqual([...new Set(mandatory(check).map((v) => v.policyName))], [policy]);
        });
    }

    // No stack setting can make the program's bucket public or drop its limits (the program always sets them), so
    // these two start from a compliant render and break it the way a hand edit of the program would.
    async function checkEdited(stack: string, edit: (inputs: ReturnType<typeof policyInputs>) => ReturnType<typeof policyInputs>) {
        const { stack: name, config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stack}.yaml`));
        const { rendered, dependencies } = await renderForPolicies({ stack: name, config, preview: true });
        const given = parsePolicyPackConfig(fs.readFileSync(policyConfigFileFor(stack), "utf8"));
        const { config: policyConfig } = reconcilePolicyPackConfig(policies, packEnforcementLevel, given);
        return runPolicies({ pack: { name: packName, version: packVersion }, policies, config: policyConfig, resources: edit(policyInputs(rendered, dependencies)), stackTags: stackTagsOf(ROOT) });
    }

    it("a bucket without its public access block fails bucket-private", async () => {
        const result = await checkEdited("dev", (inputs) => inputs.filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"));
        assert.deepEqual(mandatory(result).map((v) => v.policyName), ["bucket-private"]);
        assert.match(mandatory(result)[0].message, /no BucketPublicAccessBlock targets it/);
    });

    it("a Deployment container without limits fails k8s-container-resources", async () => {
        const result = await checkEdited("prod-gcp", (inputs) => inputs.map((r) => {
            if (r.type !== "kubernetes:apps/v1:Deployment") return r;
            const copy = structuredClone(r);
            for (const c of (copy.props as { spec: { template: { spec: { containers: { resources?: unknown }[] } } } }).spec.template.spec.containers) delete c.resources;
            return copy;
        }));
        assert.deepEqual([...new Set(mandatory(result).map((v) => v.policyName))], ["k8s-container-resources"]);
        assert.match(mandatory(result)[0].message, /resources.requests.cpu is not set/);
    });
});
