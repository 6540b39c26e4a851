import { strict as assert } from "node:assert";
import fc from "fast-check";
import { bucketPrefix, helmReleaseName, NAME_LIMITS, physicalName, podServiceAccountName, serviceAccountId, stackScopedName, stackSlug } from "../../components/naming";
import { checkNameLimits } from "../../plan/mocks";
import { renderStack } from "../../plan/render";

describe("physical names (components/naming.ts)", () => {
    it("puts the stack in registry repository names so dev and prod in one account do not collide", () => {
        assert.equal(stackScopedName("property-valuation", "prod-eu"), "property-valuation-prod-eu");
        assert.equal(stackScopedName("svc", "Org.Team_Dev"), "svc-org-team-dev");
        assert.notEqual(stackScopedName("svc", "dev"), stackScopedName("svc", "prod-aws"));
        assert.equal(stackSlug("---"), "stack");
    });

    it("makes GCP service account ids that are valid (6–30 characters, lowercase, no trailing dash) and differ per stack", () => {
        assert.notEqual(serviceAccountId("svc", "run", "dev"), serviceAccountId("svc", "run", "prod"));
        fc.assert(fc.property(fc.stringMatching(/^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/), fc.string({ minLength: 1 }), (service, stack) => {
            const id = serviceAccountId(service, "models", stack);
            return /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(id);
        }));
    });

    it("keeps a name that fits and cuts a long one to the limit with a hash of the whole, so two long names stay apart", () => {
        assert.equal(physicalName(["property-valuation", "prod-gcp"], NAME_LIMITS.gkeCluster), "property-valuation-prod-gcp");
        const a = physicalName(["property-valuation", "prod-hybrid", "nodes-extra-long"], NAME_LIMITS.gkeNodePool);
        const b = physicalName(["property-valuation", "prod-hybrid", "nodes-extra-lone"], NAME_LIMITS.gkeNodePool);
        assert.equal(a.length, 40);
        assert.notEqual(a, b);
        assert.match(a, /^property-valuation-prod-hybrid-no.*-[0-9a-f]{4}$/);
        fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9-]{1,40}$/), { minLength: 1, maxLength: 4 }), fc.integer({ min: 8, max: 64 }), (parts, limit) => {
            const name = physicalName(parts, limit);
            return name.length <= limit && !/^-|-$|--/.test(name);
        }));
    });

    it("leaves a 37-character bucketPrefix room for the provider's suffix even for a 30-character service", () => {
        const prefix = bucketPrefix("a".repeat(30), "models");
        assert.ok(prefix.length <= NAME_LIMITS.s3BucketPrefix, prefix);
        assert.ok(prefix.endsWith("-"));
        assert.equal(bucketPrefix("property-valuation", "models"), "property-valuation-models-");
    });

    it("gives each stack its own Kubernetes service account (Workload Identity subject) and Helm release names", () => {
        assert.notEqual(podServiceAccountName("property-valuation", "prod-gcp"), podServiceAccountName("property-valuation", "prod-hybrid"));
        assert.ok(helmReleaseName("prometheus-adapter", "a-very-long-stack-name-for-a-team-environment").length <= NAME_LIMITS.helmRelease);
    });

    it("the offline plan refuses a name the API would refuse", () => {
        assert.throws(() => checkNameLimits("gcp:container/cluster:Cluster", "c", { name: "x".repeat(41) }), /GKE cluster name "x{41}" has 41 characters; the API allows at most 40/);
        assert.doesNotThrow(() => checkNameLimits("gcp:container/cluster:Cluster", "c", { name: "x".repeat(40) }));
        assert.throws(() => checkNameLimits("aws:s3/bucket:Bucket", "b", { bucketPrefix: `${"b".repeat(37)}-` }), /S3 bucketPrefix/);
    });

    it("a render whose name breaks a limit fails (the mocks raise the provider's error)", async () => {
        const limits = NAME_LIMITS as unknown as Record<string, number>;
        // The bucket is auto-named by the engine (the program sets no name), so only the mock's check can catch it.
        const saved = limits.gcsBucket;
        limits.gcsBucket = 20;
        try {
            await assert.rejects(renderStack({ stack: "prod", config: { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "acme" } }), /GCS bucket name "property-valuation-artifacts-models-[0-9a-f]{7}" has 43 characters; the API allows at most 20/);
        } finally {
            limits.gcsBucket = saved;
        }
    });

    const configs: Record<string, Record<string, string>> = {
        hybrid: { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "gke", "gcp:region": "us-central1", "gcp:project": "acme" },
        "hybrid-eks": { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "eks", "aws:region": "us-east-1" },
        cloudrun: { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "acme" },
    };
    for (const [backend, config] of Object.entries(configs)) {
        it(`renders ${backend} with a 30-character service name and a long stack name inside every limit the mocks enforce`, async () => {
            const stack = await renderStack({ stack: "team-platform-production-hybrid", config: { ...config, "model-serving:serviceName": "a-thirty-character-service-nm" } });
            const gke = stack.resources.find((r) => r.type === "gcp:container/cluster:Cluster");
            if (gke) assert.ok(String(gke.inputs.name).length <= 40);
        });
    }
});
