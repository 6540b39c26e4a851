import { strict as assert } from "node:assert";
import { unknownKeys } from "../../policies/lib/config-keys";
import { policies } from "../../policies/pack";
import { runPolicies } from "../../plan/policy-engine";
import { groupViolations } from "../../plan/policy-report";
import { check, resource, UNKNOWN } from "./harness";
import { container, deploymentProps } from "./workloads";

describe("values unknown at preview", () => {
    it("are reported once per resource, naming every property and the policies that could not check it", async () => {
        const d = resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps([container({ image: UNKNOWN })]));
        const result = await check([d]);
        const notes = result.violations.filter((v) => v.urn === d.urn && v.enforcementLevel === "advisory");
        assert.equal(notes.length, 1);
        assert.equal(notes[0].policyName, "preview-unknowns");
        assert.match(notes[0].message, /unknown at preview, so checked only on resolved values: spec.template.spec.containers.0.image \(image-pinned, allowed-registries\)\. The PR workflow's `npm run policy:check -- --resolved` and `pulumi up`/);
        assert.equal(result.violations.filter((v) => v.message.startsWith("can't run")).length, 0);
    });

    it("do not hide the known values beside them: a :latest init container is refused at preview while the main image is unknown", async () => {
        const d = resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps([container({ image: UNKNOWN })], [container({ name: "warm", image: "busybox:latest" })]));
        const result = await check([d]);
        assert.deepEqual(result.violations.filter((v) => v.policyName === "image-pinned").map((v) => [v.enforcementLevel, /initContainer "warm": image "busybox:latest" uses the mutable tag/.test(v.message)]), [["mandatory", true]]);
        assert.match(result.violations.find((v) => v.policyName === "preview-unknowns")?.message ?? "", /spec.template.spec.containers.0.image \(image-pinned, allowed-registries\)/);
    });

    it("say nothing when every value is known", async () => {
        const result = await check([resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps())]);
        assert.deepEqual(result.violations.filter((v) => v.policyName === "preview-unknowns"), []);
    });
});

describe("unknown policy config keys", () => {
    it("suggest the nearest known key only when it is close", () => {
        assert.deepEqual(unknownKeys(["allowedRegion", "residency", "colour"], ["residency", "allowedRegions"]), [
            { key: "allowedRegion", nearest: "allowedRegions" }, { key: "colour" },
        ]);
    });

    it("make the pack itself refuse to run the policy, as the analyzer would report it", async () => {
        const config = Object.fromEntries(policies.map((p) => [p.name, { enforcementLevel: "mandatory" as const, properties: {} as Record<string, unknown> }]));
        config["data-residency"].properties = { residency: "eu", allowedRegions: [], allowedRegion: ["europe-west4"] };
        await assert.rejects(runPolicies({ pack: { name: "model-serving", version: "0" }, policies, config, resources: [resource("gcp:storage/bucket:Bucket", "b", { location: "EU" })], stackTags: new Map() }),
            /policy 'data-residency'.*"allowedRegion" is not a setting of data-residency; did you mean "allowedRegions"\?/s);
    });
});

describe("grouped report", () => {
    it("prints one finding for one cause on many resources, the resource-first message for a single one", () => {
        const urn = (type: string, name: string) => `urn:pulumi:prod-eu::model-serving::model-serving:gke:Cluster$${type}::${name}`;
        const cause = 'region "us-east1" is in jurisdiction us, not eu. Required: every location in jurisdiction eu. Fix: place it in a region of jurisdiction eu.';
        const violations = [
            { policyName: "data-residency", enforcementLevel: "mandatory" as const, urn: urn("gcp:compute/subnetwork:Subnetwork", "a"), message: `gcp:compute/subnetwork:Subnetwork "a" ${cause}` },
            { policyName: "data-residency", enforcementLevel: "mandatory" as const, urn: urn("gcp:compute/router:Router", "b"), message: `gcp:compute/router:Router "b" ${cause}` },
            { policyName: "image-pinned", enforcementLevel: "mandatory" as const, urn: urn("kubernetes:apps/v1:Deployment", "d"), message: 'kubernetes:apps/v1:Deployment "d": image "x" has no tag' },
        ];
        const groups = groupViolations(violations);
        assert.equal(groups.length, 2);
        assert.deepEqual(groups[0], { policyName: "data-residency", enforcementLevel: "mandatory", message: cause, urns: [violations[0].urn, violations[1].urn] });
        assert.equal(groups[1].message, violations[2].message);
    });
});
