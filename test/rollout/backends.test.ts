import { strict as assert } from "node:assert";
import * as path from "node:path";
import { promotedConfig, rolledBackConfig } from "../../components/rollout/canary";
import { readStackConfigFile, renderStack, type RenderedStack } from "../../plan/render";
import { all, input, one } from "../components/helpers";

/**
 * Each backend's shipped stack with a 10% canary renders the platform's own split; promotion and rollback are the
 * config transforms docs/rollout.md shows, and render one version again with nothing of the canary left.
 */

const CANARY = { "model-serving:canaryModelVersion": "2", "model-serving:canaryPercent": "10" };

/** A shipped stack as it was before model v2: stable on version 1, so these cases canary 2 against it (the v1 → v2 rollout). */
function shipped(stack: string): { stack: string; config: Record<string, string> } {
    const file = readStackConfigFile(path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`));
    return { ...file, config: { ...file.config, "model-serving:modelVersion": "1" } };
}

function renderOf(stack: string, config: Record<string, string>): Promise<RenderedStack> {
    return renderStack({ stack, config, configFile: `stacks/Pulumi.${stack}.yaml` });
}

/** Resource types and names, without the inputs: what "the same stack" means for promotion and rollback. */
function shape(stack: RenderedStack): string[] {
    return stack.resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** Everything that mentions the canary: resources named after it, and inputs naming its version or tag. */
function canaryLeftovers(stack: RenderedStack): string[] {
    return stack.resources.filter((r) => /canary/.test(r.name) || /"canary"|canary---|-canary"/.test(JSON.stringify(r.inputs))).map((r) => `${r.type} ${r.name}`);
}

describe("rollout under mocks: Lambda (stacks/Pulumi.dev.yaml)", () => {
    const dev = shipped("dev");

    it("routes 10% of the live alias to the version this update publishes, the rest to the deployed one", async () => {
        const stack = await renderOf("dev", { ...dev.config, ...CANARY });
        const alias = one(stack, "aws:lambda/alias:Alias");
        // The mocked deployed alias points at "41"; the mocked publish of this update is version "1".
        assert.equal(input(alias, "functionVersion"), "41");
        assert.deepEqual(input(alias, "routingConfig"), { additionalVersionWeights: { "1": 0.1 } });
        const fn = one(stack, "aws:lambda/function:Function");
        assert.equal(input(fn, "environment.variables.MODEL_VERSION"), "2", "the published configuration is the canary's");
        assert.deepEqual(stack.outputs.canary, { modelVersion: "2", percent: 10 });
        assert.equal(stack.outputs.modelVersion, "1");
        const alarms = all(stack, "aws:cloudwatch/metricAlarm:MetricAlarm");
        const canaryAlarms = alarms.filter((a) => JSON.stringify(input(a, "metricQueries")).includes('"ExecutedVersion":"1"'));
        assert.equal(canaryAlarms.length, 2, "5xx share and p99 on the canary version");
    });

    it("renders one version again on promotion and on rollback, with nothing of the canary left", async () => {
        const canary = { ...dev.config, ...CANARY };
        const single = await renderOf("dev", dev.config);
        for (const [what, config, version] of [["promotion", promotedConfig(canary), "2"], ["rollback", rolledBackConfig(canary), "1"]] as const) {
            const stack = await renderOf("dev", config);
            assert.deepEqual(shape(stack), shape(single), what);
            const alias = one(stack, "aws:lambda/alias:Alias");
            assert.equal(input(alias, "functionVersion"), "1", `${what}: the alias points at this update's version only`);
            assert.equal(input(alias, "routingConfig"), undefined, what);
            assert.equal(input(one(stack, "aws:lambda/function:Function"), "environment.variables.MODEL_VERSION"), version, what);
            assert.deepEqual(canaryLeftovers(stack), [], what);
            assert.ok(!("canary" in stack.outputs), `${what}: no canary output`);
        }
    });
});

describe("rollout under mocks: Cloud Run (stacks/Pulumi.staging.yaml)", () => {
    const staging = shipped("staging");
    type Target = { type: string; percent: number; revision?: string; tag?: string };

    it("splits traffic 90/10 between the stable revision and the tagged canary revision", async () => {
        const single = one(await renderOf("staging", staging.config), "gcp:cloudrunv2/service:Service");
        const stack = await renderOf("staging", { ...staging.config, ...CANARY });
        const service = one(stack, "gcp:cloudrunv2/service:Service");
        const traffic = input(service, "traffics") as Target[];
        assert.deepEqual(traffic.map((t) => [t.type, t.percent, t.tag]), [
            ["TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", 90, "stable"],
            ["TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", 10, "canary"],
        ]);
        // The stable revision is the one the single-version stack deploys; the canary's is this update's template.
        assert.equal(traffic[0].revision, input(single, "template.revision"));
        assert.equal(traffic[1].revision, input(service, "template.revision"));
        assert.match(String(traffic[1].revision), /^property-valuation-staging-m2-[0-9a-f]{8}$/);
        const env = input(service, "template.containers") as Array<{ envs: Array<{ name: string; value: string }> }>;
        assert.equal(env[0].envs.find((e) => e.name === "MODEL_VERSION")?.value ?? env[0].envs.find((e) => e.name === "MODEL_DIR")?.value.split("/").pop(), "2");
    });

    it("renders one version again on promotion and on rollback: all traffic to the latest revision, nothing of the canary left", async () => {
        const canary = { ...staging.config, ...CANARY };
        const single = await renderOf("staging", staging.config);
        const stableRevision = input(one(single, "gcp:cloudrunv2/service:Service"), "template.revision");
        const canaryRevision = input(one(await renderOf("staging", canary), "gcp:cloudrunv2/service:Service"), "template.revision");
        for (const [what, config, revision] of [["promotion", promotedConfig(canary), canaryRevision], ["rollback", rolledBackConfig(canary), stableRevision]] as const) {
            const stack = await renderOf("staging", config);
            assert.deepEqual(shape(stack), shape(single), what);
            const service = one(stack, "gcp:cloudrunv2/service:Service");
            assert.deepEqual(input(service, "traffics"), [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }], what);
            // Promotion serves the canary's revision itself (no new one); rollback names the stable revision again.
            assert.equal(input(service, "template.revision"), revision, what);
            assert.deepEqual(canaryLeftovers(stack), [], what);
        }
    });
});

describe("rollout under mocks: Kubernetes (prod-aws on eks, prod-gcp on gke, prod-hybrid's gke baseline)", () => {
    const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
    const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
    type Named = { metadata: { name: string } };
    const named = (stack: RenderedStack, type: string, name: string) => {
        const found = all(stack, type).filter((r) => (r.inputs as Named).metadata?.name === name);
        assert.equal(found.length, 1, `${type} ${name}`);
        return found[0];
    };

    for (const name of ["prod-aws", "prod-gcp", "prod-hybrid"]) {
        const file = shipped(name);

        it(`${name}: a stable and a canary Deployment behind the one Service, each with its HPA, at least one canary pod`, async () => {
            const stack = await renderOf(name, { ...file.config, ...CANARY });
            const stable = named(stack, DEPLOYMENT, "property-valuation");
            const canary = named(stack, DEPLOYMENT, "property-valuation-canary");
            const podLabels = (d: typeof stable) => input(d, "spec.template.metadata.labels") as Record<string, string>;
            assert.equal(podLabels(stable)["app.kubernetes.io/version"], "1");
            assert.equal(podLabels(canary)["app.kubernetes.io/version"], "2");
            assert.deepEqual(input(canary, "spec.selector.matchLabels"), { "app.kubernetes.io/name": "property-valuation-canary" });
            assert.deepEqual(input(stable, "spec.selector.matchLabels"), { "app.kubernetes.io/name": "property-valuation" }, "the stable selector never changes");
            const env = (d: typeof stable) => (input(d, "spec.template.spec.containers") as Array<{ env: Array<{ name: string; value: string }> }>)[0].env;
            const served = (d: typeof stable) => env(d).find((e) => e.name === "MODEL_VERSION")?.value ?? env(d).find((e) => e.name === "MODEL_DIR")?.value.split("/").pop();
            assert.deepEqual([served(stable), served(canary)], ["1", "2"]);
            // The one Service selects both sides; the pod split follows the percent.
            const selector = input(named(stack, "kubernetes:core/v1:Service", "property-valuation"), "spec.selector") as Record<string, string>;
            for (const d of [stable, canary]) assert.ok(Object.entries(selector).every(([k, v]) => podLabels(d)[k] === v), "the Service selects both sides");
            const bounds = (hpa: string) => [input(named(stack, HPA, hpa), "spec.minReplicas"), input(named(stack, HPA, hpa), "spec.maxReplicas")];
            const [stableBounds, canaryBounds] = name === "prod-hybrid" ? [[2, 9], [1, 1]] : [[2, 18], [1, 2]]; // 3-10 and 3-20 replicas
            assert.deepEqual(bounds("property-valuation"), stableBounds);
            assert.deepEqual(bounds("property-valuation-canary"), canaryBounds);
            assert.equal(input(named(stack, HPA, "property-valuation-canary"), "spec.scaleTargetRef.name"), "property-valuation-canary");
        });

        it(`${name}: promotion and rollback render the single-version stack again, with nothing of the canary left`, async () => {
            const canary = { ...file.config, ...CANARY };
            const single = await renderOf(name, file.config);
            for (const [what, config, version] of [["promotion", promotedConfig(canary), "2"], ["rollback", rolledBackConfig(canary), "1"]] as const) {
                const stack = await renderOf(name, config);
                assert.deepEqual(shape(stack), shape(single), what);
                assert.deepEqual(canaryLeftovers(stack), [], what);
                assert.equal(all(stack, DEPLOYMENT).filter((d) => (d.inputs as Named).metadata.name.startsWith("property-valuation")).length, 1, what);
                assert.deepEqual([input(named(stack, HPA, "property-valuation"), "spec.minReplicas"), input(named(stack, HPA, "property-valuation"), "spec.maxReplicas")], [3, name === "prod-hybrid" ? 10 : 20], what);
                const labels = input(named(stack, DEPLOYMENT, "property-valuation"), "spec.template.metadata.labels") as Record<string, string>;
                assert.equal(labels["app.kubernetes.io/version"], version, what);
            }
        });
    }

    it("weights an HTTPRoute 90/10 through a Service per side when the stack names a Gateway", async () => {
        const file = shipped("prod-gcp");
        const stack = await renderOf("prod-gcp", { ...file.config, ...CANARY, "model-serving:gatewayName": "gateways/public" });
        const route = one(stack, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
        assert.deepEqual(input(route, "spec.parentRefs"), [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "gateways" }]);
        assert.deepEqual(input(route, "spec.rules"), [{ backendRefs: [{ name: "property-valuation-stable", port: 80, weight: 90 }, { name: "property-valuation-canary", port: 80, weight: 10 }] }]);
        assert.deepEqual(input(named(stack, "kubernetes:core/v1:Service", "property-valuation-canary"), "spec.selector"), { "app.kubernetes.io/name": "property-valuation-canary" });
        assert.deepEqual(input(named(stack, "kubernetes:core/v1:Service", "property-valuation-stable"), "spec.selector"), { "app.kubernetes.io/name": "property-valuation" });
        const rolledBack = await renderOf("prod-gcp", rolledBackConfig({ ...file.config, ...CANARY, "model-serving:gatewayName": "gateways/public" }));
        assert.deepEqual(input(one(rolledBack, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"), "spec.rules"), [{ backendRefs: [{ name: "property-valuation", port: 80, weight: 100 }] }]);
        assert.deepEqual(canaryLeftovers(rolledBack), []);
    });
});

describe("observability under mocks: every shipped stack renders its alarms and dashboard", () => {
    const expected: Record<string, { alarms: [string, number]; dashboard: string }> = {
        // 5xx share and p99 on the alias, throttles; Cloud Run: 5xx share, p99, 429/503 share; Kubernetes: one rule group.
        dev: { alarms: ["aws:cloudwatch/metricAlarm:MetricAlarm", 3], dashboard: "aws:cloudwatch/dashboard:Dashboard" },
        staging: { alarms: ["gcp:monitoring/alertPolicy:AlertPolicy", 3], dashboard: "gcp:monitoring/dashboard:Dashboard" },
        ...Object.fromEntries(["prod-aws", "prod-gcp", "prod-eu", "prod-hybrid"].map((name) => [name, {
            alarms: ["kubernetes:monitoring.coreos.com/v1:PrometheusRule", 1] as [string, number], dashboard: "kubernetes:core/v1:ConfigMap",
        }])),
    };
    for (const [name, { alarms, dashboard }] of Object.entries(expected)) {
        it(`${name}: ${alarms[1]} × ${alarms[0].split(":").pop()} and a ${dashboard.split(":").pop()} dashboard`, async () => {
            const stack = await renderOf(name, shipped(name).config);
            assert.equal(all(stack, alarms[0]).length, alarms[1]);
            const dashboards = all(stack, dashboard).filter((r) => dashboard !== "kubernetes:core/v1:ConfigMap" || input(r, "metadata.labels.grafana_dashboard") === "1");
            assert.equal(dashboards.length, 1);
            if (alarms[0].endsWith("PrometheusRule")) {
                const rules = (input(one(stack, alarms[0]), "spec.groups") as Array<{ rules: Array<{ alert: string; labels: Record<string, string> }> }>)[0].rules;
                assert.deepEqual(rules.map((r) => r.alert), ["ModelServingErrorRate", "ModelServingLatencyP99", "ModelServingShedding", "ModelServingPodsNotReady"]);
                assert.ok(rules.every((r) => r.labels.team === "ml-platform"), "routed by the stack's alertLabels");
                assert.equal(all(stack, "kubernetes:monitoring.coreos.com/v1:PodMonitor").length, 1);
            }
        });
    }

    it("renders no alarm when a stack turns them off, but keeps the dashboard", async () => {
        const stack = await renderOf("dev", { ...shipped("dev").config, "model-serving:alarms": "false" });
        assert.equal(all(stack, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 0);
        assert.equal(all(stack, "aws:cloudwatch/dashboard:Dashboard").length, 0, "Lambda's dashboard comes with its alarms");
        const k8s = await renderOf("prod-gcp", { ...shipped("prod-gcp").config, "model-serving:alarms": "false" });
        assert.equal(all(k8s, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").length, 0);
        assert.equal(all(k8s, "kubernetes:core/v1:ConfigMap").filter((r) => input(r, "metadata.labels.grafana_dashboard") === "1").length, 1);
    });
});
