import assert from "node:assert/strict";
import { formatUsd, recommend, trafficShape } from "../../advisor/recommend";
import type { BackendEstimate, BackendId } from "../../advisor/types";
import { profile } from "./helpers";

function estimate(backend: BackendId, monthlyCostUsd: number, p99Ms: number, extra: Partial<BackendEstimate> = {}): BackendEstimate {
    return {
        backend, cloud: "aws", region: "test-aws-1", unitName: "replicas", hours: [], monthlyCostUsd,
        coldStartsPerDay: 0, podStartsPerDay: 0, p99Ms, meetsSlo: p99Ms <= 250, settings: [], ...extra,
    };
}

describe("advisor recommendation", () => {
    it("describes the traffic shape by peak, mean and idle hours", () => {
        const rps = new Array<number>(168).fill(0);
        rps[0] = 84;
        assert.equal(trafficShape(profile(rps)), "peak 84 rps, mean 0.5 rps (peak/mean 168.0x), 167 of 168 hours idle");
    });

    it("shows cents only for amounts under $10", () => {
        assert.equal(formatUsd(0.4), "$0.40");
        assert.equal(formatUsd(371.4), "$371");
    });

    it("picks the cheapest backend that meets the SLO over a cheaper one that does not", () => {
        const r = recommend(profile(10), [estimate("lambda", 10, 1204), estimate("eks", 300, 20), estimate("gke-autopilot", 200, 20)]);
        assert.equal(r.backend, "gke-autopilot");
        assert.match(r.reason, /cheapest of the 2 backends that meet the p99 SLO of 250 ms at \$200\/month; 33% below eks/);
    });

    it("calls a gap under 10% a close call", () => {
        const r = recommend(profile(10), [estimate("eks", 100, 20), estimate("gke-autopilot", 95, 20)]);
        assert.match(r.reason, /5% below eks .*a close call/);
    });

    it("ignores ineligible backends and hybrids that are the plain Kubernetes backend", () => {
        const r = recommend(profile(10), [
            estimate("lambda", 1, 20, { ineligible: "payload too big", meetsSlo: false }),
            estimate("hybrid-eks-lambda", 50, 20, { sameAs: "eks" }),
            estimate("eks", 50, 20),
            estimate("lambda-scheduled", 80, 20),
        ]);
        assert.equal(r.backend, "eks");
        assert.match(r.reason, /cheapest of the 2 backends .* 38% below lambda-scheduled/);
    });

    it("names the closest backend and says so when none meets the SLO", () => {
        const r = recommend(profile(10), [estimate("lambda", 10, 1204), estimate("cloud-run", 20, 804)]);
        assert.equal(r.backend, "cloud-run");
        assert.match(r.reason, /^no backend meets the p99 SLO of 250 ms; cloud-run comes closest at an estimated 804 ms/);
    });
});
