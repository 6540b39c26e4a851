import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packEnforcementLevel, policies } from "../../policies/pack";
import { relaxation, relaxationsOf } from "../../plan/policy-baseline";
import { parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../plan/policy-config";
import { policyConfigFileFor, ROOT } from "../../plan/policy-stack";

const effective = (text: string) => {
    const reconciled = reconcilePolicyPackConfig(policies, packEnforcementLevel, parsePolicyPackConfig(text));
    assert.deepEqual(reconciled.errors, []);
    return reconciled.config;
};
const baseline = effective(fs.readFileSync(path.join(ROOT, "policies", "baseline.json"), "utf8"));
const stacks = fs.readdirSync(path.join(ROOT, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);

describe("policy configs against the documented baseline (policies/baseline.json)", () => {
    it("is guarded by CODEOWNERS together with the pack and the per-stack configs", () => {
        const owners = new Map(fs.readFileSync(path.join(ROOT, ".github", "CODEOWNERS"), "utf8").split("\n")
            .filter((line) => line.trim() && !line.startsWith("#")).map((line) => line.trim().split(/\s+/) as [string, ...string[]]).map(([p, ...o]) => [p, o]));
        for (const pattern of ["/policies/", "/policies/config/", "/policies/baseline.json", "/.github/workflows/policy.yml"]) {
            assert.ok(owners.get(pattern)?.includes("@acme/platform-owners"), `${pattern} is owned by the platform owners`);
        }
    });

    it("configures every policy of the pack", () => {
        assert.deepEqual(Object.keys(baseline).sort(), policies.map((p) => p.name).sort());
    });

    for (const stack of stacks) {
        it(`${stack}: policies/config/${stack}.json is at least as strict as the baseline`, () => {
            assert.deepEqual(relaxationsOf(effective(fs.readFileSync(policyConfigFileFor(stack), "utf8")), baseline), []);
        });
    }

    it("names each way a relaxed config is looser: a level, a cap, a switch, a list", () => {
        const relaxed = effective(JSON.stringify({
            all: "mandatory", "preview-unknowns": "advisory", "k8s-node-capacity": "advisory",
            "data-residency": "advisory",
            "k8s-hpa-bounds": { maxReplicas: 50 },
            "k8s-service-type": { allowNodePort: true },
            "image-pinned": { forbiddenTags: [] },
            "allowed-registries": { allowedRegistries: ["*.dkr.ecr.*.amazonaws.com/**", "docker.io/**"] },
            "node-pool-bounds": { nodeShapes: { "p5.48xlarge": "2/8Gi" } },
        }));
        assert.deepEqual(relaxationsOf(relaxed, baseline), [
            "k8s-hpa-bounds: maxReplicas 50 is looser than the baseline 20",
            'node-pool-bounds: nodeShapes describes p5.48xlarge beyond the baseline',
            "data-residency: enforcement level advisory is below the baseline's mandatory",
            'image-pinned: forbiddenTags drops ["latest"] that the baseline lists',
            'allowed-registries: allowedRegistries adds ["docker.io/**"] beyond the baseline ["*.dkr.ecr.*.amazonaws.com/**","*-docker.pkg.dev/**"]',
            "k8s-service-type: allowNodePort true, the baseline keeps it false",
        ]);
    });

    it("reads quantities and treats an empty region list as no restriction", () => {
        assert.match(String(relaxation("maxMemory", "32Gi", "16Gi")), /looser/);
        assert.equal(relaxation("maxMemory", "8192Mi", "16Gi"), undefined);
        assert.match(String(relaxation("allowedRegions", [], ["europe-west4"])), /is empty \(no restriction\)/);
        assert.equal(relaxation("allowedRegistries", ["123.dkr.ecr.us-east-1.amazonaws.com/app-*"], ["*.dkr.ecr.*.amazonaws.com/**"]), undefined);
    });
});
