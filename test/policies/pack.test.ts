import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { packEnforcementLevel, policies } from "../../policies/pack";

const policiesDir = path.resolve(__dirname, "../../policies");

describe("policy pack layout", () => {
    it("is a Pulumi policy pack directory whose index.ts hands the pack's policies to PolicyPack", () => {
        assert.equal(parseYaml(fs.readFileSync(path.join(policiesDir, "PulumiPolicy.yaml"), "utf8")).runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(policiesDir, "package.json"), "utf8"));
        assert.ok(pkg.dependencies["@pulumi/policy"], "policies/package.json depends on @pulumi/policy");
        // Read as text, never imported: constructing the PolicyPack starts its gRPC server.
        const index = fs.readFileSync(path.join(policiesDir, "index.ts"), "utf8");
        assert.match(index, /new PolicyPack\(packName, \{[^}]*policies[^}]*\}\)/);
    });

    it("makes every policy mandatory except the three that inform: capacity headroom, canary share and preview unknowns", () => {
        assert.equal(packEnforcementLevel, "mandatory");
        assert.deepEqual(policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name), ["k8s-node-capacity", "canary-share", "preview-unknowns"]);
    });

    it("runs preview-unknowns last, after every policy that can note an unknown value", () => {
        assert.equal(policies[policies.length - 1].name, "preview-unknowns");
    });

    it("gives every policy a unique, non-reserved name and a configSchema with a default for every property", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        assert.ok(!names.includes("all"));
        for (const policy of policies) {
            const properties = Object.entries(policy.configSchema?.properties ?? {});
            // preview-unknowns only reports what the others noted: nothing to configure but its level.
            assert.ok(properties.length > 0 || policy.name === "preview-unknowns", `${policy.name} has a configSchema`);
            for (const [key, schema] of properties) {
                assert.notEqual(key, "enforcementLevel", `${policy.name}: enforcementLevel is reserved`);
                assert.notEqual(schema.default, undefined, `${policy.name}.${key} has a default`);
            }
        }
    });
});
