import assert from "node:assert/strict";
import { eksHourCost, gkeAutopilotHourCost, loadBalancerGbPerHour, replicasByHour } from "../../advisor/kubernetes";
import { cloudRunOnDemand, cloudRunScheduled, lambdaOnDemand, lambdaScheduled } from "../../advisor/serverless";
import { ASSUMPTIONS, AWS, FACTS, GCP, near, profile } from "./helpers";

// Cloud Run's busy seconds for one instance at 1 rps: requests of 4 ms billed as 100 ms.
const BUSY_AT_1_RPS = 3600 * (1 - Math.exp(-0.1));

describe("advisor cost model", () => {
    it("puts 0.72 GB an hour through the load balancer at 100 rps of 1,000-byte requests and responses", () => {
        assert.ok(near(loadBalancerGbPerHour(100, profile(0), ASSUMPTIONS), 0.72));
    });

    it("prices an EKS hour as nodes + control plane + ALB + LCUs: 7 replicas at 100 rps = $0.7272", () => {
        assert.ok(near(eksHourCost(profile(0), AWS, ASSUMPTIONS)(7, 100), 3 * 0.2 + 0.1 + 0.02 + 0.72 * 0.01));
    });

    it("prices a GKE Autopilot hour by requested vCPU and memory: 3 idle replicas = $0.27", () => {
        assert.ok(near(gkeAutopilotHourCost(profile(0), GCP, ASSUMPTIONS)(3, 0), 3 * (0.04 + 2 * 0.005) + 0.1 + 0.02));
    });

    it("caps the replicas at the hybrid baseline but never below the HPA floor", () => {
        assert.deepEqual(replicasByHour([0, 250, 1000], FACTS, ASSUMPTIONS), [2, 3, 9]);
        assert.deepEqual(replicasByHour([0, 250, 1000], FACTS, ASSUMPTIONS, 4), [2, 3, 4]);
    });

    it("bills on-demand Lambda per request and per GB-second: 1 rps for an hour at 1 GB and 4 ms = $0.003744", () => {
        const hours = lambdaOnDemand([1], FACTS, AWS, ASSUMPTIONS);
        assert.deepEqual(hours.units, [1]);
        assert.ok(near(hours.coldStarts[0], 0), "1 rps keeps the environment warm (e^-600)");
        assert.ok(near(hours.costUsd[0], 3600 * (1e-6 + 0.004 * 1e-5)));
    });

    it("bills each Lambda cold start's 1.2 s INIT phase as duration", () => {
        const hours = lambdaOnDemand([0, 1], FACTS, AWS, ASSUMPTIONS);
        assert.ok(near(hours.coldStarts[1], 1));
        assert.ok(near(hours.costUsd[1], 3600 * (1e-6 + 0.004 * 1e-5) + 1.2 * 1e-5));
    });

    it("bills scheduled provisioned concurrency for every hour it is set and has no cold starts", () => {
        const hours = lambdaScheduled([1, 0], FACTS, AWS, ASSUMPTIONS);
        assert.deepEqual(hours.units, [1, 0]);
        assert.deepEqual(hours.coldStarts, [0, 0]);
        assert.ok(near(hours.costUsd[0], 3600 * 2e-6 + 3600 * (1e-6 + 0.004 * 5e-6)));
        assert.equal(hours.costUsd[1], 0);
    });

    it("bills on-demand Cloud Run for busy instance seconds plus requests", () => {
        const hours = cloudRunOnDemand([1, 1], FACTS, GCP, ASSUMPTIONS);
        assert.deepEqual(hours.units, [1, 1]);
        assert.ok(hours.coldStarts.every((c) => near(c, 0)));
        assert.ok(near(hours.costUsd[0], BUSY_AT_1_RPS * (2e-5 + 2 * 1e-6) + 3600 * 1e-6));
    });

    it("bills a Cloud Run instance's 0.8 s start-up at the active rate", () => {
        const hours = cloudRunOnDemand([0, 1], FACTS, GCP, ASSUMPTIONS);
        assert.ok(near(hours.coldStarts[0], 0) && near(hours.coldStarts[1], 1));
        assert.ok(near(hours.costUsd[1], (BUSY_AT_1_RPS + 0.8) * 2.2e-5 + 3600 * 1e-6));
    });

    it("bills scheduled Cloud Run min instances at the idle rate when they are not serving", () => {
        const hours = cloudRunScheduled([1], FACTS, GCP, ASSUMPTIONS);
        const idle = 3600 - BUSY_AT_1_RPS;
        assert.deepEqual(hours.coldStarts, [0]);
        assert.ok(near(hours.costUsd[0], BUSY_AT_1_RPS * 2.2e-5 + idle * 3e-6 + 3600 * 1e-6));
    });
});
