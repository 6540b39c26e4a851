import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runAlertPolicies, runDashboard } from "../../components/observability/cloud-monitoring";
import { lambdaAlarms, lambdaDashboardBody, type LambdaTarget } from "../../components/observability/cloudwatch";
import { grafanaDashboard, prometheusRuleSpec } from "../../components/observability/prometheus";
import { DEFAULT_THRESHOLDS, PANELS } from "../../components/observability/signals";

const RULES = prometheusRuleSpec({
    namespace: "inference", model: "property-valuation", deployments: ["property-valuation", "property-valuation-canary"],
    thresholds: DEFAULT_THRESHOLDS, alertLabels: { team: "ml" },
});
const DASHBOARD = grafanaDashboard() as { panels: Array<{ title: string; targets: Array<{ expr: string }>; gridPos: { x: number; y: number } }> };

describe("observability: one signal list, rendered per platform", () => {
    it("ships the Grafana dashboard generated from the panel list (dashboards/inference.json)", () => {
        const committed: unknown = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "dashboards", "inference.json"), "utf8"));
        assert.deepEqual(committed, grafanaDashboard(), "dashboards/inference.json is stale: run `npx tsx components/observability/write-dashboard.ts`");
        assert.deepEqual(DASHBOARD.panels.map((p) => p.title), PANELS.map((p) => p.title));
        const positions = DASHBOARD.panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`);
        assert.equal(new Set(positions).size, positions.length, "panels must not overlap");
    });

    it("alerts per model version on 5xx share, p99 against the SLO, shedding and pods not ready", () => {
        const rules = RULES.groups[0].rules;
        assert.deepEqual(rules.map((r) => r.alert), ["ModelServingErrorRate", "ModelServingLatencyP99", "ModelServingShedding", "ModelServingPodsNotReady"]);
        assert.match(rules[0].expr, /> 0\.01$/);
        assert.match(rules[1].expr, /> 0\.25$/);
        assert.match(rules[3].expr, /deployment=~"property-valuation\|property-valuation-canary"/);
        for (const rule of rules.slice(0, 3)) assert.match(rule.expr, /by \(model_version/);
        for (const rule of rules) assert.equal(rule.labels.team, "ml");
    });

    const lambdaTarget: LambdaTarget = {
        functionName: "fn", alias: "live", region: "us-east-1", endpoint: "function-url", thresholds: DEFAULT_THRESHOLDS,
        sides: [{ label: "live", modelVersion: "1" }, { label: "canary", modelVersion: "2", executedVersion: "7" }],
    };

    it("renders CloudWatch alarms on the alias and on the canary version", () => {
        const alarms = lambdaAlarms(lambdaTarget);
        assert.deepEqual(alarms.map((a) => a.name), ["fn-live-errorRate", "fn-live-latencyP99", "fn-canary-errorRate", "fn-canary-latencyP99", "fn-live-shed"]);
        const canaryErrors = alarms[2].metricQueries.filter((q) => q.metric).map((q) => q.metric?.dimensions);
        assert.deepEqual(canaryErrors[0], { FunctionName: "fn", Resource: "fn:live", ExecutedVersion: "7" });
        assert.equal(alarms[0].metricQueries[0].metric?.metricName, "Url5xxCount");
        assert.equal(lambdaAlarms({ ...lambdaTarget, endpoint: "http-api" })[0].metricQueries[0].metric?.metricName, "Errors");
        assert.equal(alarms[1].threshold, DEFAULT_THRESHOLDS.latencySloMs);
        const widgets = (JSON.parse(lambdaDashboardBody(lambdaTarget)) as { widgets: Array<{ properties: { title: string; metrics: unknown[][] } }> }).widgets;
        assert.deepEqual(widgets.map((w) => w.properties.title), PANELS.filter((p) => p.lambda).map((p) => p.title));
        assert.ok(widgets.every((w) => w.properties.metrics.length >= 2), "a line per side");
    });

    it("renders Cloud Monitoring alert policies and a dashboard per revision", () => {
        const target = { serviceName: "svc", project: "acme", thresholds: DEFAULT_THRESHOLDS };
        const policies = runAlertPolicies(target);
        assert.deepEqual(policies.map((p) => p.id), ["errorRate", "latencyP99", "shed"]);
        const errors = policies[0].conditions[0].conditionThreshold;
        assert.match(errors.filter, /response_code_class = "5xx"/);
        assert.match(errors.denominatorFilter ?? "", /request_count/);
        assert.deepEqual(errors.aggregations[0].groupByFields, ["resource.label.revision_name"]);
        assert.equal(policies[1].conditions[0].conditionThreshold.thresholdValue, 250);
        const dashboard = runDashboard(target) as { gridLayout: { widgets: Array<{ title: string }> } };
        assert.deepEqual(dashboard.gridLayout.widgets.map((w) => w.title), PANELS.filter((p) => p.cloudRun).map((p) => p.title));
    });
});
