import assert from "node:assert/strict";
import { estimateAll, HOURS_PER_MONTH, monthlyFromWeekly } from "../../advisor/estimate";
import type { BackendEstimate, BackendId } from "../../advisor/types";
import { ASSUMPTIONS, AWS, FACTS, GCP, PRICES, near, profile } from "./helpers";

const byId = (estimates: BackendEstimate[], id: BackendId): BackendEstimate => {
    const found = estimates.find((e) => e.backend === id);
    assert.ok(found, `no estimate for ${id}`);
    return found;
};

describe("advisor estimates", () => {
    it("scales a week to a month of 730 hours", () => {
        assert.equal(monthlyFromWeekly(168), HOURS_PER_MONTH);
    });

    it("estimates four backends per cloud, and only for the clouds the profile names", () => {
        assert.equal(estimateAll(profile(1), FACTS, PRICES, ASSUMPTIONS).length, 8);
        const awsOnly = estimateAll(profile(1, { region: { aws: "test-aws-1" } }), FACTS, PRICES, ASSUMPTIONS);
        assert.deepEqual(awsOnly.map((e) => e.backend), ["eks", "lambda", "lambda-scheduled", "hybrid-eks-lambda"]);
    });

    it("prices a flat 100 rps week on GKE as 2 replicas every hour", () => {
        const gke = byId(estimateAll(profile(100), FACTS, PRICES, ASSUMPTIONS), "gke-autopilot");
        const hour = 2 * 0.05 + 0.1 + 0.02 + 0.72 * 0.01;
        assert.ok(near(gke.monthlyCostUsd, hour * 730));
        assert.ok(gke.hours.every((h) => h.units === 2));
        assert.equal(gke.coldStartsPerDay, 0);
        assert.equal(gke.meetsSlo, true);
    });

    it("fails the SLO for on-demand Lambda when trickle traffic makes most requests cold, but not with scheduled concurrency", () => {
        const estimates = estimateAll(profile(0.001), FACTS, PRICES, ASSUMPTIONS);
        const lambda = byId(estimates, "lambda");
        assert.equal(lambda.p99Ms, 1204);
        assert.equal(lambda.meetsSlo, false);
        assert.ok(near(lambda.coldStartsPerDay, 24 * 3.6 * Math.exp(-0.6)));
        assert.equal(byId(estimates, "lambda-scheduled").meetsSlo, true);
    });

    it("marks Lambda ineligible for a payload over its 6 MiB limit, and Cloud Run still eligible", () => {
        const estimates = estimateAll(profile(1, { payload_bytes: 7 * 1024 * 1024 }), FACTS, PRICES, ASSUMPTIONS);
        assert.match(byId(estimates, "lambda").ineligible ?? "", /over the Lambda request limit/);
        assert.equal(byId(estimates, "lambda").meetsSlo, false);
        assert.equal(byId(estimates, "cloud-run").ineligible, undefined);
    });

    it("spills the peak to the overflow when overflow requests cost less than extra replicas", () => {
        // 167 hours at 100 rps (2 replicas) and one hour at 1,000 rps (9 replicas); replicas made dear.
        const rps = new Array<number>(168).fill(100);
        rps[100] = 1000;
        const dear = { ...PRICES, gcp: { "test-gcp-1": { ...GCP, gke_autopilot_vcpu: { ...GCP.gke_autopilot_vcpu, usd: 100 } } } };
        const hybrid = byId(estimateAll(profile(rps), FACTS, dear, ASSUMPTIONS), "hybrid-gke-cloud-run");
        assert.equal(hybrid.sameAs, undefined);
        assert.equal(Math.max(...hybrid.hours.map((h) => h.units)), 2);
        assert.equal(hybrid.hours[100].overflowRps, 1000 - 240);
        assert.equal(hybrid.hours[100].overflowUnits, 7); // 760 rps at 120 rps per instance
    });

    it("keeps the whole load on Kubernetes, and says the hybrid is the plain backend, when the overflow costs more", () => {
        const rps = new Array<number>(168).fill(100);
        rps[100] = 1000;
        const dear = { ...PRICES, aws: { "test-aws-1": { ...AWS, lambda_request: { ...AWS.lambda_request, usd: 1 } } } };
        const estimates = estimateAll(profile(rps), FACTS, dear, ASSUMPTIONS);
        const hybrid = byId(estimates, "hybrid-eks-lambda");
        assert.equal(hybrid.sameAs, "eks");
        assert.equal(hybrid.monthlyCostUsd, byId(estimates, "eks").monthlyCostUsd);
        assert.ok(hybrid.hours.every((h) => h.overflowRps === 0));
    });
});
