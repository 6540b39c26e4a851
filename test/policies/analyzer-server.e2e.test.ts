import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packEnforcementLevel, packName, packVersion, policies } from "../../policies/pack";
import { parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../plan/policy-config";
import { PolicyViolation, runPolicies } from "../../plan/policy-engine";
import { policyInputs, renderForPolicies, stackTagsOf } from "../../plan/policy-inputs";
import { policyConfigFileFor, ROOT } from "../../plan/policy-stack";
import { readStackConfigFile } from "../../plan/render";
import { AnalyzerServer, startAnalyzerServer } from "./analyzer-server";
import { publishedPack } from "./published-pack";
import { WRONG_STACKS } from "./wrong-stacks";

const sorted = (violations: PolicyViolation[]) => violations.map((v) => JSON.stringify([v.policyName, v.urn, v.enforcementLevel, v.message])).sort();

describe("the published pack, started by run-policy-pack as the CLI does, agrees with the offline runner", function () {
    // Packing and installing the pack (npm cache), then ts-node type-checking it at start: tens of seconds.
    this.timeout(300_000);
    let server: AnalyzerServer;
    before(async () => { server = await startAnalyzerServer((await publishedPack()).dir); });
    after(() => server?.stop());

    it("serves every policy of the pack with its config schema", async () => {
        const info = await server.info();
        assert.equal(info.getName(), "model-serving");
        assert.deepEqual(info.getPoliciesList().map((p) => p.getName()), policies.map((p) => p.name));
        // preview-unknowns has nothing to configure but its level.
        assert.ok(info.getPoliciesList().filter((p) => p.getName() !== "preview-unknowns").every((p) => p.getConfigschema()?.getProperties()?.toJavaScript()));
    });

    const cases: [configFile: string, policyConfig: string, failing?: string][] = [
        ...fs.readdirSync(path.join(ROOT, "stacks")).map((f): [string, string] => [path.join(ROOT, "stacks", f), f.replace(/^Pulumi\.(.+)\.yaml$/, "$1")]),
        ...WRONG_STACKS.map(({ file, policyConfig, policy }): [string, string, string] => [file, policyConfig, policy]),
    ];
    for (const [configFile, policyConfig, failing] of cases) {
        it(`${path.basename(configFile)} with the ${policyConfig} policy config: same violations, levels and messages`, async () => {
            const { stack, config } = readStackConfigFile(configFile);
            const { rendered, dependencies } = await renderForPolicies({ stack, config, preview: true });
            const resources = policyInputs(rendered, dependencies);
            const reconciled = reconcilePolicyPackConfig(policies, packEnforcementLevel, parsePolicyPackConfig(fs.readFileSync(policyConfigFileFor(policyConfig), "utf8")));
            await server.configure(reconciled.config);
            const served = await server.analyze(resources);
            const offline = await runPolicies({ pack: { name: packName, version: packVersion }, policies, config: reconciled.config, resources, stackTags: stackTagsOf(ROOT) });
            assert.deepEqual(sorted(offline.violations), sorted(served));
            const mandatory = served.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName);
            assert.deepEqual([...new Set(mandatory)], failing ? [failing] : []);
        });
    }
});
