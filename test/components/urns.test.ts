import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackConfigFile, renderStack } from "../../plan/render";

/** URNs each stack registered before the backend-table restructure (recorded from commit 4c4b8aa). */
const BEFORE = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "urns-4c4b8aa.json"), "utf8")) as { stacks: Record<string, string[]> };

/** The configs of the fixture's variants that are not shipped stacks (same as when the fixture was recorded). */
const VARIANTS: Record<string, Record<string, string>> = {
    "hybrid-eks": { "aws:region": "us-east-1", "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "eks", "model-serving:residency": "us" },
    "scheduled-run": { "gcp:region": "us-central1", "gcp:project": "acme", "model-serving:backend": "cloudrun", "model-serving:scalingSchedule": JSON.stringify(["evening 2 0 18 * * 1-5", "night 0 0 23 * * *"]) },
    "scheduled-eks": { "aws:region": "us-east-1", "model-serving:backend": "eks", "model-serving:modelSource": "bucket", "model-serving:scalingSchedule": JSON.stringify(["evening 2 0 18 * * 1-5"]) },
    "scheduled-hybrid": {
        "gcp:region": "us-central1", "gcp:project": "acme", "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "gke", "model-serving:gkeMode": "standard",
        "model-serving:modelSource": "bucket", "model-serving:scalingSchedule": JSON.stringify(["evening 2 0 18 * * 1-5"]),
    },
    "scheduled-lambda": { "aws:region": "us-east-1", "model-serving:backend": "lambda", "model-serving:lambdaEndpoint": "http-api", "model-serving:scalingSchedule": JSON.stringify(["evening 2 0 18 * * 1-5"]) },
};

/**
 * A URN in the mock monitor's form: the mock qualifies a type with its parent's type only (and a top-level one with
 * the root stack's), the engine with the whole chain of parent types. Compare on the last parent type, the type
 * and the name.
 */
function normal(urn: string): string {
    const [head, project, types, ...name] = urn.split("::");
    const chain = types.split("$").filter((t) => t !== "pulumi:pulumi:Stack");
    return [head, project, chain.slice(-2).join("$"), ...name].join("::");
}

type Rendered = Awaited<ReturnType<typeof renderStack>>;

/**
 * Every URN a render's resources answer to: their own, their aliases, and (as the engine resolves them) the aliases
 * they inherit from every ancestor's aliases, a child's name following its parent's when it starts with it.
 */
function answeredBy(rendered: Rendered): Set<string> {
    const byUrn = new Map(rendered.resources.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    const aliasesOf = (resource: Rendered["resources"][number]): string[] => {
        const known = memo.get(resource.urn);
        if (known) return known;
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        const inherited = parent
            ? aliasesOf(parent).map((parentAlias) => {
                const aliasName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
                const name = resource.name.startsWith(parent.name) ? aliasName + resource.name.slice(parent.name.length) : resource.name;
                return `${parentAlias.slice(0, parentAlias.lastIndexOf("::"))}$${resource.type}::${name}`;
            })
            : [];
        const all = [...(resource.aliases ?? []), ...inherited];
        memo.set(resource.urn, all);
        return all;
    };
    return new Set(rendered.resources.flatMap((r) => [r.urn, ...aliasesOf(r)]).map(normal));
}

function configOf(stack: string): Record<string, string> {
    const file = path.resolve(__dirname, "../../stacks", `Pulumi.${stack}.yaml`);
    return fs.existsSync(file) ? readStackConfigFile(file).config : VARIANTS[stack];
}

describe("existing stacks keep their resources (URNs before the restructure, or aliases to them)", () => {
    for (const [stack, before] of Object.entries(BEFORE.stacks)) {
        it(`${stack}: every resource registered at 4c4b8aa is registered again under its URN or an alias`, async () => {
            const rendered = await renderStack({ stack, config: configOf(stack), preview: true, aliasUrns: true });
            const answered = answeredBy(rendered);
            const lost = before.filter((urn) => !answered.has(normal(urn)));
            assert.deepEqual(lost, [], `${stack} would replace these resources`);
        });
    }

    for (const stack of ["dev", "prod-aws", "prod-hybrid"]) {
        it(`${stack}: renaming serviceName with renamedFrom keeps every resource and every cloud name`, async () => {
            const config = configOf(stack);
            const before = await renderStack({ stack, config, preview: true });
            const after = await renderStack({ stack, config: { ...config, "model-serving:serviceName": "valuation", "model-serving:renamedFrom": "property-valuation" }, preview: true, aliasUrns: true });
            const answered = answeredBy(after);
            assert.deepEqual(before.resources.map((r) => r.urn).filter((urn) => !answered.has(normal(urn))), [], "every resource is aliased");
            const cloudNames = (r: typeof before) => r.resources.filter((x) => x.custom && !x.type.startsWith("kubernetes:")).map((x) => JSON.stringify([x.type, x.inputs.name, x.inputs.accountId, x.inputs.bucketPrefix])).sort();
            assert.deepEqual(cloudNames(after), cloudNames(before), "cloud resources keep their names (no replacement)");
            const deployment = after.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
            if (deployment) assert.equal((deployment.inputs.metadata as { name: string }).name, "valuation", "Kubernetes objects take the new name");
        });
    }

    it("can fail: a resource renamed without an alias is reported lost", async () => {
        const rendered = await renderStack({ stack: "dev", config: { ...configOf("dev"), "model-serving:serviceName": "renamed" }, preview: true, aliasUrns: true });
        const answered = answeredBy(rendered);
        assert.ok(BEFORE.stacks.dev.some((urn) => !answered.has(normal(urn))));
    });
});
