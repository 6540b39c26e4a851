import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
    canaryServiceSpec, promotedConfig, promotionCommands, replicaShare, replicaSplit, rollbackCommands, rolledBackConfig,
} from "../../components/rollout/canary";
import {
    canaryDeploymentSpec, httpRouteSpec, parseGatewayRef, trackAutoscalerSpec, trackLabels,
} from "../../components/rollout/kubernetes";
import { cloudRunRevisionName, cloudRunTraffic, lambdaAliasRouting, lambdaProvisionedShare, templateFingerprint } from "../../components/rollout/serverless";
import { parseStackConfig } from "../../components/config/parse";
import type { ServiceSpec } from "../../components/spec";

// From the parser, so the spec has every field the current ServiceSpec has.
const SERVICE: ServiceSpec = parseStackConfig({
    "model-serving:backend": "eks", "aws:region": "us-east-1", "model-serving:modelSource": "bucket",
    "model-serving:minReplicas": "3", "model-serving:maxReplicas": "20",
}, "stacks/Pulumi.test.yaml").service;

describe("rollout: the canary as plain data", () => {
    it("gives the canary side the canary's model version and bucket prefix, everything else shared", () => {
        const canary = canaryServiceSpec(SERVICE, { version: "2", percent: 10 });
        assert.equal(canary.model.version, "2");
        assert.deepEqual(canary.model.artifact, { source: "bucket", prefix: "property-valuation/2/" });
        assert.deepEqual({ ...canary, model: SERVICE.model }, SERVICE);
        const fromImage = canaryServiceSpec({ ...SERVICE, model: { ...SERVICE.model, artifact: { source: "image" } } }, { version: "2", percent: 10 });
        assert.deepEqual(fromImage.model.artifact, { source: "image" });
    });

    it("splits replicas in proportion to the percent with at least one canary pod", () => {
        assert.deepEqual(replicaSplit({ min: 3, max: 20 }, 10), { stable: { min: 2, max: 18 }, canary: { min: 1, max: 2 } });
        assert.deepEqual(replicaSplit({ min: 1, max: 5 }, 10), { stable: { min: 1, max: 4 }, canary: { min: 1, max: 1 } });
        assert.deepEqual(replicaSplit({ min: 10, max: 10 }, 50), { stable: { min: 5, max: 5 }, canary: { min: 5, max: 5 } });
        // A half pod goes to the stable side.
        assert.deepEqual(replicaSplit({ min: 3, max: 9 }, 50), { stable: { min: 2, max: 5 }, canary: { min: 1, max: 4 } });
        // minReplicas 0 still runs one pod each side: an HPA cannot scale to zero.
        assert.deepEqual(replicaSplit({ min: 0, max: 4 }, 25), { stable: { min: 1, max: 3 }, canary: { min: 1, max: 1 } });
    });

    it("keeps every side's bounds valid and the totals within one pod of the service's, for any percent", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 99 }), (min, extra, percent) => {
            const max = Math.max(1, min) + extra - 1;
            const split = replicaSplit({ min, max }, percent);
            for (const side of [split.stable, split.canary]) assert.ok(side.min >= 1 && side.max >= side.min, JSON.stringify(split));
            const floor = Math.max(1, min);
            assert.ok(split.stable.min + split.canary.min <= Math.max(floor, 2), JSON.stringify({ min, max, percent, split }));
            assert.ok(split.stable.max + split.canary.max <= Math.max(max, split.stable.min + split.canary.min), JSON.stringify({ min, max, percent, split }));
        }));
    });

    it("says how far pod counts are from the requested percent", () => {
        assert.deepEqual(replicaShare(replicaSplit({ min: 3, max: 20 }, 10)), { atMin: 33.3, atMax: 10 });
        assert.deepEqual(replicaShare(replicaSplit({ min: 1, max: 1 }, 10)), { atMin: 50, atMax: 50 });
    });

    it("promotes by moving modelVersion to the canary and dropping the canary keys; rolls back by dropping them", () => {
        const config = { "model-serving:backend": "lambda", "model-serving:modelVersion": "1", "model-serving:canaryModelVersion": "2", "model-serving:canaryPercent": "10" };
        assert.deepEqual(promotedConfig(config), { "model-serving:backend": "lambda", "model-serving:modelVersion": "2" });
        assert.deepEqual(rolledBackConfig(config), { "model-serving:backend": "lambda", "model-serving:modelVersion": "1" });
        assert.throws(() => promotedConfig(rolledBackConfig(config)), /no canary to promote/);
        assert.deepEqual(promotionCommands("2"), [
            "pulumi config set model-serving:modelVersion 2",
            "pulumi config rm model-serving:canaryModelVersion",
            "pulumi config rm model-serving:canaryPercent",
            "pulumi up",
        ]);
        assert.deepEqual(rollbackCommands(), ["pulumi config rm model-serving:canaryModelVersion", "pulumi config rm model-serving:canaryPercent", "pulumi up"]);
    });
});

describe("rollout: Cloud Run and Lambda", () => {
    it("routes all traffic to the latest revision without a canary, and splits between tagged revisions with one", () => {
        assert.deepEqual(cloudRunTraffic(), [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]);
        assert.deepEqual(cloudRunTraffic({ percent: 10, stableRevision: "svc-m1-aaaa", canaryRevision: "svc-m2-bbbb" }), [
            { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "svc-m1-aaaa", percent: 90, tag: "stable" },
            { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "svc-m2-bbbb", percent: 10, tag: "canary" },
        ]);
    });

    it("names a revision from the service, the model version and the template, within 63 characters", () => {
        const template = { containers: [{ image: "registry/img:1", env: [{ name: "A", value: "1" }] }], scaling: { max: 5 } };
        const fingerprint = templateFingerprint(template);
        assert.equal(fingerprint, templateFingerprint({ scaling: { max: 5 }, containers: [{ env: [{ value: "1", name: "A" }], image: "registry/img:1" }] }), "key order must not matter");
        assert.notEqual(fingerprint, templateFingerprint({ ...template, scaling: { max: 6 } }));
        const name = cloudRunRevisionName("property-valuation-run", "2024-06-01", fingerprint);
        assert.match(name, /^property-valuation-run-m2024-06-01-[0-9a-f]{8}$/);
        const long = cloudRunRevisionName("s".repeat(49), "V3.Release_Candidate", fingerprint);
        assert.ok(long.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(long), long);
        assert.throws(() => cloudRunRevisionName("s".repeat(60), "1", fingerprint), /no room/);
    });

    it("weights the Lambda alias by percent / 100 and shares its provisioned concurrency by weight", () => {
        assert.equal(lambdaAliasRouting(), undefined);
        assert.deepEqual(lambdaAliasRouting({ percent: 10, canaryVersion: "7" }), { additionalVersionWeights: { "7": 0.1 } });
        assert.deepEqual(lambdaProvisionedShare(10, 10), { stable: 9, canary: 1 });
        assert.deepEqual(lambdaProvisionedShare(3, 10), { stable: 3, canary: 0 });
    });
});

describe("rollout: Kubernetes", () => {
    const stable = {
        selector: { matchLabels: { "app.kubernetes.io/name": "svc" } },
        template: {
            metadata: { labels: { "app.kubernetes.io/name": "svc", "app.kubernetes.io/version": "2" } },
            spec: { containers: [{ name: "inference", image: "img" }], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": "svc" } } }] },
        },
    };

    it("gives the canary Deployment its own selector, which the stable Deployment's does not match", () => {
        const canary = canaryDeploymentSpec(stable, "svc");
        assert.deepEqual(canary.selector, { matchLabels: { "app.kubernetes.io/name": "svc-canary" } });
        const labels = (canary.template as { metadata: { labels: Record<string, string> } }).metadata.labels;
        assert.equal(labels["app.kubernetes.io/name"], "svc-canary");
        assert.equal(labels["app.kubernetes.io/version"], "2");
        assert.deepEqual({ ...labels, ...trackLabels("svc", "canary") }, labels, "carries the instance and track labels");
        const spread = (canary.template as { spec: { topologySpreadConstraints: Array<{ labelSelector: unknown }> } }).spec.topologySpreadConstraints;
        assert.deepEqual(spread[0].labelSelector, { matchLabels: { "app.kubernetes.io/name": "svc-canary" } });
        assert.deepEqual(stable.selector, { matchLabels: { "app.kubernetes.io/name": "svc" } }, "the stable spec is not modified");
    });

    it("points each side's HPA at its own Deployment with its own bounds", () => {
        const spec = { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "svc" }, minReplicas: 3, maxReplicas: 20, metrics: [] };
        assert.deepEqual(trackAutoscalerSpec(spec, "svc", "canary", { min: 1, max: 2 }), { ...spec, scaleTargetRef: { ...spec.scaleTargetRef, name: "svc-canary" }, minReplicas: 1, maxReplicas: 2 });
        assert.deepEqual(trackAutoscalerSpec(spec, "svc", "stable", { min: 2, max: 18 }).scaleTargetRef, spec.scaleTargetRef);
    });

    it("weights an HTTPRoute exactly when a Gateway exists", () => {
        assert.deepEqual(parseGatewayRef("infra/public"), { namespace: "infra", name: "public" });
        assert.deepEqual(parseGatewayRef("public"), { name: "public" });
        assert.equal(parseGatewayRef("Infra/x"), undefined);
        assert.equal(parseGatewayRef("a/b/c"), undefined);
        assert.deepEqual(httpRouteSpec({ name: "public", namespace: "infra" }, "svc", 80).rules, [{ backendRefs: [{ name: "svc", port: 80, weight: 100 }] }]);
        const split = httpRouteSpec({ name: "public" }, "svc", 80, 10);
        assert.deepEqual(split.parentRefs, [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public" }]);
        assert.deepEqual(split.rules[0].backendRefs, [{ name: "svc-stable", port: 80, weight: 90 }, { name: "svc-canary", port: 80, weight: 10 }]);
    });
});
