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
    "scheduled-lambda": { "aws:region": "us-east-1", "model-serving:backend": "lambda", "model-serving:lambdaEndpoint": "http-api", "model-serving:scalingSchedule": JSON.stringify(["evening 2 0 18 * * 1-5"]) },
};

function configOf(stack: string): Record<string, string> {
    const file = path.resolve(__dirname, "../../stacks", `Pulumi.${stack}.yaml`);
    return fs.existsSync(file) ? readStackConfigFile(file).config : VARIANTS[stack];
}

describe("existing stacks keep their resources (URNs before the restructure, or aliases to them)", () => {
    for (const [stack, before] of Object.entries(BEFORE.stacks)) {
        it(`${stack}: every resource registered at 4c4b8aa is registered again under its URN or an alias`, async () => {
            const rendered = await renderStack({ stack, config: configOf(stack), preview: true, aliasUrns: true });
            const answered = new Set(rendered.resources.flatMap((r) => [r.urn, ...(r.aliases ?? [])]));
            const lost = before.filter((urn) => !answered.has(urn));
            assert.deepEqual(lost, [], `${stack} would replace these resources`);
        });
    }

    it("can fail: a resource renamed without an alias is reported lost", async () => {
        const rendered = await renderStack({ stack: "dev", config: { ...configOf("dev"), "model-serving:serviceName": "renamed" }, preview: true, aliasUrns: true });
        const answered = new Set(rendered.resources.flatMap((r) => [r.urn, ...(r.aliases ?? [])]));
        assert.ok(BEFORE.stacks.dev.some((urn) => !answered.has(urn)));
    });
});
