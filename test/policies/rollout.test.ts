import { strict as assert } from "node:assert";
import { canaryShares } from "../../policies/rollout/canary";
import { check, messagesOf, resource } from "./harness";

const alias = (weights?: Record<string, number>) => resource("aws:lambda/alias:Alias", "live", { name: "live", functionVersion: "41", ...(weights ? { routingConfig: { additionalVersionWeights: weights } } : {}) });
const run = (canaryPercent?: number) => resource("gcp:cloudrunv2/service:Service", "svc", {
    template: { containers: [{ image: "img" }] },
    traffics: canaryPercent === undefined
        ? [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]
        : [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "a", percent: 100 - canaryPercent, tag: "stable" }, { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "b", percent: canaryPercent, tag: "canary" }],
});
const route = (canaryWeight: number) => resource("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "route", {
    spec: { rules: [{ backendRefs: [{ name: "svc-stable", port: 80, weight: 100 - canaryWeight }, { name: "svc-canary", port: 80, weight: canaryWeight }] }] },
});
const canaryDeployment = (percent: number) => resource("kubernetes:apps/v1:Deployment", "canary", {
    metadata: { name: "svc-canary", annotations: { "model-serving/canary-percent": String(percent) } }, spec: { template: { spec: { containers: [] } } },
});

describe("rollout policies", () => {
    it("reads the canary's share on every backend", () => {
        assert.deepEqual(canaryShares([alias({ "7": 0.1 }), run(25), route(60), canaryDeployment(10), alias(), run()]).map((s) => s.percent), [10, 25, 60, 10]);
    });

    it("canary-share reports a canary above maxCanaryPercent, as advisory by default, naming the fix", async () => {
        const result = await check([alias({ "7": 0.6 }), run(10)], { "canary-share": { maxCanaryPercent: 50 } });
        const reported = result.violations.filter((v) => v.policyName === "canary-share");
        assert.equal(reported.length, 1);
        assert.equal(reported[0].enforcementLevel, "advisory");
        assert.match(reported[0].message, /aws:lambda\/alias:Alias "live" sends 60% of requests to the canary \(routingConfig\.additionalVersionWeights\["7"\]\)\. Required: a canary takes at most 50%\. Fix: lower model-serving:canaryPercent to 50 or less, or promote the canary/);
        assert.deepEqual(messagesOf(await check([route(60)], { "canary-share": { maxCanaryPercent: 70 } }), "canary-share"), []);
        assert.equal(messagesOf(await check([canaryDeployment(80)]), "canary-share").length, 1, "default maximum 50");
    });

    it("alarms-present fails a production stack without alarms or a dashboard, and passes one with both", async () => {
        const fn = resource("aws:lambda/function:Function", "fn", { packageType: "Image" });
        const bare = messagesOf(await check([fn], { "alarms-present": { requireAlarms: true } }), "alarms-present");
        assert.equal(bare.length, 1);
        assert.match(bare[0], /renders no alarm .* and no dashboard/);
        const watched = [fn, resource("aws:cloudwatch/metricAlarm:MetricAlarm", "a", {}), resource("aws:cloudwatch/dashboard:Dashboard", "d", {})];
        assert.deepEqual(messagesOf(await check(watched, { "alarms-present": { requireAlarms: true } }), "alarms-present"), []);
        const k8s = [resource("kubernetes:apps/v1:Deployment", "d", { metadata: { name: "svc" }, spec: {} }),
            resource("kubernetes:core/v1:ConfigMap", "dash", { metadata: { labels: { grafana_dashboard: "1" } } })];
        assert.match(messagesOf(await check(k8s, { "alarms-present": { requireAlarms: true } }), "alarms-present")[0], /renders no alarm \(.*PrometheusRule\)\. Required/);
        assert.deepEqual(messagesOf(await check([fn]), "alarms-present"), [], "not required unless the stack's config says so");
    });
});
