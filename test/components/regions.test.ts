import { strict as assert } from "node:assert";
import { allowedBy, cloudOf, jurisdictionOf, regionOf } from "../../policies/platform/regions";

describe("regions: where a location sits legally", () => {
    it("maps AWS and GCP regions, zones and multi-regions to their jurisdiction", () => {
        assert.equal(jurisdictionOf("us-east-1"), "us");
        assert.equal(jurisdictionOf("us-east-1a"), "us");
        assert.equal(jurisdictionOf("europe-west4"), "eu");
        assert.equal(jurisdictionOf("europe-west4-b"), "eu");
        assert.equal(jurisdictionOf("EUROPE-WEST4"), "eu");
        assert.equal(jurisdictionOf("EU"), "eu");
        assert.equal(jurisdictionOf("asia-northeast1"), "apac");
    });

    it("keeps London and Zurich out of the EU although they are in Europe", () => {
        for (const region of ["eu-west-2", "europe-west2"]) assert.equal(jurisdictionOf(region), "uk");
        for (const region of ["eu-central-2", "europe-west6"]) assert.equal(jurisdictionOf(region), "ch");
    });

    it("returns undefined for a location it does not know, which no restriction allows", () => {
        assert.equal(jurisdictionOf("mars-north1"), undefined);
        assert.equal(allowedBy({ area: "eu" }, "mars-north1"), false);
        assert.equal(allowedBy({ area: "any" }, "mars-north1"), true);
    });

    it("tells which cloud a region belongs to", () => {
        assert.equal(cloudOf("eu-west-1"), "aws");
        assert.equal(cloudOf("europe-west1"), "gcp");
        assert.equal(cloudOf("westeurope"), undefined);
        assert.equal(regionOf("us-central1-f"), "us-central1");
    });

    it("narrows an area with an explicit region list", () => {
        const residency = { area: "eu" as const, regions: ["europe-west4"] };
        assert.equal(allowedBy(residency, "europe-west4-a"), true);
        assert.equal(allowedBy(residency, "europe-west1"), false);
        assert.equal(allowedBy({ area: "us", regions: ["europe-west4"] }, "europe-west4"), false);
    });
});
