import { strict as assert } from "node:assert";
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../plan/policy-config";
import { runPolicies } from "../../plan/policy-engine";
import { resource, UNKNOWN } from "./harness";

const sizeLimit: ResourceValidationPolicy = {
    name: "size-limit",
    description: "Sizes stay under the limit.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { limit: { type: "integer", default: 10 }, unit: { type: "string", enum: ["GB", "MB"], default: "GB" } } },
    validateResource: (args, reportViolation) => {
        if (args.type !== "test:index:Disk") return args.notApplicable("only disks");
        const { limit } = args.getConfig<{ limit: number }>();
        if (args.props.size > limit) reportViolation(`size ${args.props.size} > ${limit}`);
    },
};
const tagged: StackValidationPolicy = {
    name: "tagged",
    description: "The stack is tagged and every disk has a parent.",
    validateStack: (args, reportViolation) => {
        if (args.stackTags.get("team") !== "ml") reportViolation("stack tag team is not ml");
        for (const r of args.resources.filter((x) => x.type === "test:index:Disk")) {
            if (!r.parent) reportViolation(`${r.name} has no parent`, r.urn);
            if (r.dependencies.length > 0) reportViolation(`${r.name} depends on ${r.dependencies.map((d) => d.name).join(",")}`, r.urn);
        }
    },
};
const policies: Policies = [sizeLimit, tagged];
const pack = { name: "test-pack", version: "1.0.0" };

const group = resource("test:index:Group", "group", {});
const bigDisk = resource("test:index:Disk", "big", { size: 20 }, { parent: group.urn });

async function run(configText: string, resources = [group, bigDisk], tags = new Map([["team", "ml"]])) {
    const { config, errors } = reconcilePolicyPackConfig(policies, "advisory", parsePolicyPackConfig(configText));
    assert.deepEqual(errors, []);
    return runPolicies({ pack, policies, config, resources, stackTags: tags });
}

describe("policy config (engine semantics)", () => {
    it("reads levels given as strings or as enforcementLevel inside an object", () => {
        assert.deepEqual(parsePolicyPackConfig('{"all": "advisory", "size-limit": {"enforcementLevel": "disabled", "limit": 5}}'), {
            all: { enforcementLevel: "advisory", properties: {} },
            "size-limit": { enforcementLevel: "disabled", properties: { limit: 5 } },
        });
    });

    it("rejects an invalid enforcement level, naming the policy and the allowed levels", () => {
        assert.throws(() => parsePolicyPackConfig('{"size-limit": "strict"}'), /policy config "size-limit": "strict" is not a valid enforcement level; use one of advisory, mandatory, remediate, disabled/);
        assert.throws(() => parsePolicyPackConfig('{"size-limit": 3}'), /must be a string or an object/);
    });

    it("starts from schema defaults and the policy's level, falling back to the pack's level", () => {
        const { config } = reconcilePolicyPackConfig(policies, "advisory", {});
        assert.deepEqual(config["size-limit"], { enforcementLevel: "mandatory", properties: { limit: 10, unit: "GB" } });
        assert.deepEqual(config.tagged, { enforcementLevel: "advisory", properties: {} });
    });

    it("applies all to every policy, then per-policy levels and properties on top", () => {
        const { config } = reconcilePolicyPackConfig(policies, "advisory", parsePolicyPackConfig('{"all": "disabled", "size-limit": {"enforcementLevel": "advisory", "limit": 30}}'));
        assert.deepEqual(config["size-limit"], { enforcementLevel: "advisory", properties: { limit: 30, unit: "GB" } });
        assert.equal(config.tagged.enforcementLevel, "disabled");
    });

    it("reports schema violations with the policy name and lists config for unknown policies", () => {
        const { errors, unknownPolicies } = reconcilePolicyPackConfig(policies, "advisory", parsePolicyPackConfig('{"size-limit": {"limit": "ten", "unit": "TB"}, "size-limt": "advisory"}'));
        assert.deepEqual(errors, [
            '"size-limt" is not a policy of this pack; did you mean "size-limit"?',
            "size-limit: limit must be integer", "size-limit: unit must be equal to one of the allowed values (GB, MB)",
        ]);
        assert.deepEqual(unknownPolicies, ["size-limt"]);
    });

    it("refuses a setting the policy's schema does not declare, naming it and the nearest known setting", () => {
        const { errors } = reconcilePolicyPackConfig(policies, "advisory", parsePolicyPackConfig('{"size-limit": {"limt": 3, "colour": "red"}}'));
        assert.deepEqual(errors, [
            'size-limit: "limt" is not a setting of size-limit; did you mean "limit"?',
            'size-limit: "colour" is not a setting of size-limit; known: limit, unit',
        ]);
    });
});

describe("running policies (engine semantics)", () => {
    it("reports at the configured level and uses the configured properties", async () => {
        assert.deepEqual((await run("{}")).violations.map((v) => [v.policyName, v.enforcementLevel, v.message]), [["size-limit", "mandatory", "size 20 > 10"]]);
        assert.deepEqual((await run('{"size-limit": {"enforcementLevel": "advisory", "limit": 15}}')).violations.map((v) => v.enforcementLevel), ["advisory"]);
        assert.deepEqual((await run('{"size-limit": {"limit": 25}}')).violations, []);
    });

    it("skips disabled policies and reports remediate as mandatory, as the engine does for validations", async () => {
        assert.deepEqual((await run('{"size-limit": "disabled"}')).violations, []);
        assert.equal((await run('{"size-limit": "remediate"}')).violations[0].enforcementLevel, "mandatory");
    });

    it("turns a value unknown at preview into an advisory can't-run note", async () => {
        const [violation] = (await run("{}", [resource("test:index:Disk", "pending", { size: UNKNOWN })])).violations;
        assert.equal(violation.enforcementLevel, "advisory");
        assert.match(violation.message, /can't run policy 'size-limit' from policy pack 'test-pack@v1.0.0' during preview: string value at .size can't be known during preview/);
    });

    it("records notApplicable without reporting a violation", async () => {
        const result = await run("{}", [resource("test:index:Bucket", "b", {})]);
        assert.deepEqual(result.violations, []);
        assert.deepEqual(result.notApplicable[0], { policyName: "size-limit", urn: "urn:pulumi:test::model-serving::test:index:Bucket::b", reason: "only disks" });
    });

    it("gives stack policies the stack tags and resources linked to their parents and dependencies", async () => {
        const small = resource("test:index:Disk", "small", { size: 1 }, { parent: group.urn, dependencies: [group.urn] });
        const orphan = resource("test:index:Disk", "orphan", { size: 1 });
        const result = await run('{"tagged": "mandatory"}', [group, small, orphan], new Map([["team", "web"]]));
        assert.deepEqual(result.violations.map((v) => v.message), ["stack tag team is not ml", "small depends on group", "orphan has no parent"]);
    });

    it("fails the run, naming policy and resource, when a policy throws", async () => {
        const broken: ResourceValidationPolicy = { name: "broken", description: "Throws.", validateResource: () => { throw new Error("boom"); } };
        const { config } = reconcilePolicyPackConfig([broken], "mandatory", {});
        await assert.rejects(runPolicies({ pack, policies: [broken], config, resources: [resource("test:index:Disk", "d", {})], stackTags: new Map() }),
            /Error validating urn:pulumi:test::model-serving::test:index:Disk::d with policy 'broken': Error: boom/);
    });
});
