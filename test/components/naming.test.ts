import { strict as assert } from "node:assert";
import fc from "fast-check";
import { stackScopedName, serviceAccountId, stackSlug } from "../../components/naming";

describe("names shared across stacks", () => {
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
});
