import { ALARMS, errorShareExpr, latencyQuantileExpr, PANELS, shedShareExpr, type AlarmThresholds, type PromSelector } from "./signals";

/**
 * The Prometheus renderings of the signal list: a Grafana dashboard (committed as dashboards/inference.json and
 * shipped to Kubernetes as a ConfigMap for the Grafana sidecar) and the PrometheusRule alert groups.
 */

/** The committed dashboard's selector: Grafana variables the viewer picks. */
export const DASHBOARD_SELECTOR: PromSelector = 'namespace="$namespace", model="$model"';

/** Where the service's series live, for a deployed stack. */
export interface ServiceSeries {
    namespace: string;
    /** The model name (every series carries it as the `model` label). */
    model: string;
}

/** Label matchers of one deployed service. */
export function serviceSelector(series: ServiceSeries): PromSelector {
    return `namespace="${series.namespace}", model="${series.model}"`;
}

/**
 * The Grafana dashboard (JSON model, schemaVersion 39): one time-series panel per signal, two per row, with
 * variables for the Prometheus data source, namespace and model. `defaults` preselects them for one stack.
 */
export function grafanaDashboard(defaults: Partial<ServiceSeries> = {}): Record<string, unknown> {
    const datasource = { type: "prometheus", uid: "${datasource}" };
    const panels = PANELS.map((panel, index) => ({
        id: index + 1,
        type: "timeseries",
        title: panel.title,
        description: panel.description,
        datasource,
        gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
        targets: panel.prometheus(DASHBOARD_SELECTOR).map((series, i) => ({
            refId: String.fromCharCode(65 + i),
            datasource,
            expr: series.expr,
            legendFormat: series.legend,
        })),
    }));
    const queryVariable = (name: string, label: string, query: string, current?: string) => ({
        name, label, type: "query", datasource, query: { query, refId: name }, refresh: 2, sort: 1,
        ...(current ? { current: { text: current, value: current } } : {}),
    });
    return {
        uid: "model-serving-inference",
        title: "Model serving: inference",
        tags: ["model-serving"],
        timezone: "utc",
        schemaVersion: 39,
        version: 1,
        editable: true,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        templating: {
            list: [
                { name: "datasource", label: "Data source", type: "datasource", query: "prometheus" },
                queryVariable("namespace", "Namespace", "label_values(inference_queue_length, namespace)", defaults.namespace),
                queryVariable("model", "Model", 'label_values(inference_queue_length{namespace="$namespace"}, model)', defaults.model),
            ],
        },
        panels,
    };
}

/** One alerting rule of a PrometheusRule. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
}

/** What the rules need besides the selector. */
export interface RuleOptions extends ServiceSeries {
    /** Deployment names whose unavailable replicas count (stable, and canary when there is one). */
    deployments: string[];
    thresholds: AlarmThresholds;
    /** Labels on every alert, for Alertmanager routing (model-serving:alertLabels). */
    alertLabels: Record<string, string>;
}

/**
 * PrometheusRule spec (monitoring.coreos.com/v1): 5xx share, p99 latency against the SLO, shed share, and pods
 * not ready (from kube-state-metrics), each per model version so a canary alerts on its own.
 */
export function prometheusRuleSpec(options: RuleOptions): { groups: Array<{ name: string; rules: AlertRule[] }> } {
    const selector = serviceSelector(options);
    const share = options.thresholds.errorPercent / 100;
    const rule = (id: keyof typeof ALARMS, alert: string, expr: string, description: string): AlertRule => ({
        alert,
        expr,
        for: `${ALARMS[id].minutes}m`,
        labels: { severity: ALARMS[id].severity, service: options.model, ...options.alertLabels },
        annotations: { summary: `${options.model}: ${ALARMS[id].summary}`, description },
    });
    const deployments = options.deployments.join("|");
    return {
        groups: [{
            name: `${options.model}.rules`,
            rules: [
                rule("errorRate", "ModelServingErrorRate", `(${errorShareExpr(selector)}) > ${share}`,
                    `Model version {{ $labels.model_version }} answers {{ $value | humanizePercentage }} of model calls with 5xx (threshold ${options.thresholds.errorPercent}%).`),
                rule("latencyP99", "ModelServingLatencyP99", `${latencyQuantileExpr(selector, 0.99)} > ${options.thresholds.latencySloMs / 1000}`,
                    `Model version {{ $labels.model_version }} p99 latency is {{ $value | humanizeDuration }} (SLO ${options.thresholds.latencySloMs} ms).`),
                rule("shed", "ModelServingShedding", `(${shedShareExpr(selector)}) > ${share}`,
                    `Model version {{ $labels.model_version }} sheds {{ $value | humanizePercentage }} of model calls with 503 (threshold ${options.thresholds.errorPercent}%): add capacity.`),
                rule("podsNotReady", "ModelServingPodsNotReady", `kube_deployment_status_replicas_unavailable{namespace="${options.namespace}", deployment=~"${deployments}"} > 0`,
                    "Deployment {{ $labels.deployment }} has {{ $value }} pods not ready."),
            ],
        }],
    };
}

/**
 * Metrics the rules read that the service does not export, and where they come from: the test that checks every
 * queried metric against the service's /metrics accepts exactly these.
 */
export const EXTERNAL_METRICS: Readonly<Record<string, string>> = {
    kube_deployment_status_replicas_unavailable: "kube-state-metrics (installed with kube-prometheus-stack)",
};
