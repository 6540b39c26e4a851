import { strict as assert } from "node:assert";
import { EXTERNAL_METRICS, grafanaDashboard, prometheusRuleSpec } from "../../components/observability/prometheus";
import { DEFAULT_THRESHOLDS, PANELS } from "../../components/observability/signals";
import { buildTestApp, EXAMPLE_PROPERTY } from "../service/helpers";

// The parser ships as an ES module (types only for that), so it is imported dynamically from this CommonJS test.
let parser: typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" } }).parser;

/** Every metric name a PromQL expression selects, from its parse tree (a syntax error fails the test). */
function metricsOf(expr: string): string[] {
    const tree = parser.parse(expr);
    const names: string[] = [];
    const cursor = tree.cursor();
    do {
        if (cursor.type.isError) assert.fail(`PromQL syntax error at ${cursor.from} in: ${expr}`);
        if (cursor.name === "VectorSelector") {
            const identifier = cursor.node.getChild("Identifier");
            if (identifier) names.push(expr.slice(identifier.from, identifier.to));
        }
    } while (cursor.next());
    return names;
}

const RULES = prometheusRuleSpec({
    namespace: "inference", model: "property-valuation", deployments: ["property-valuation", "property-valuation-canary"],
    thresholds: DEFAULT_THRESHOLDS, alertLabels: {},
});
const DASHBOARD = grafanaDashboard() as { panels: Array<{ targets: Array<{ expr: string }> }> };

describe("observability: the dashboard and alert rules read the service's own /metrics", () => {
    before(async () => {
        ({ parser } = await import("@prometheus-io/lezer-promql"));
    });

    it("parses every query as PromQL, and a broken one fails", () => {
        assert.throws(() => metricsOf("sum by (model_version (rate(x[5m]))"), /syntax error/);
        assert.deepEqual(metricsOf('rate(a_total{x="1"}[5m]) / rate(b_total[5m])'), ["a_total", "b_total"]);
    });

    it("queries only valid PromQL, and only metrics the service exports or a named exporter provides", async () => {
        const app = await buildTestApp();
        try {
            // One model call first, so labelled series (status codes) exist as they would after traffic.
            const predicted = await app.inject({ method: "POST", url: "/predict", payload: EXAMPLE_PROPERTY });
            assert.equal(predicted.statusCode, 200);
            const exposition = (await app.inject({ method: "GET", url: "/metrics" })).body;
            // Declared families count even before their first sample (a counter with labels shows only # TYPE).
            const exported = new Set(exposition.split("\n").flatMap((line) => {
                const declared = /^# TYPE (\S+) (\S+)$/.exec(line);
                if (!declared) return [];
                const [, name, type] = declared;
                return type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === "summary" ? [name, `${name}_sum`, `${name}_count`] : [name];
            }));
            const queries = [
                ...DASHBOARD.panels.flatMap((p) => p.targets.map((t) => t.expr)),
                ...RULES.groups.flatMap((g) => g.rules.map((r) => r.expr)),
            ];
            const missing = queries.flatMap(metricsOf).filter((name) => !exported.has(name) && !(name in EXTERNAL_METRICS));
            assert.deepEqual([...new Set(missing)], [], "metrics queried but not in /metrics");
            assert.ok(queries.flatMap(metricsOf).length >= PANELS.length, "every panel queries a metric");
            // The check can fail: a misspelt metric is reported.
            assert.deepEqual(metricsOf("rate(inference_requests_totl[5m])").filter((n) => !exported.has(n)), ["inference_requests_totl"]);
        } finally {
            await app.close();
        }
    });

});
