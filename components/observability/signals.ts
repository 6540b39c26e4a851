import { METRIC_NAMES } from "../../services/inference/src/contract";

/**
 * One list of what to watch on the service — dashboard panels and alarms — written once per metric source and
 * rendered per platform: Prometheus (Grafana dashboard, PrometheusRule) on Kubernetes, CloudWatch on Lambda,
 * Cloud Monitoring on Cloud Run. Every series is by model version, so a canary is compared with the stable side.
 */

/** PromQL label matchers that select this service's series, e.g. `namespace="inference", model="property-valuation"`. */
export type PromSelector = string;

/** The Prometheus side of a panel: one query per line on the chart. */
export interface PromSeries {
    expr: string;
    legend: string;
}

/** A CloudWatch metric of a Lambda function: AWS/Lambda, with the dimensions of one side (alias, or a version). */
export interface LambdaMetric {
    metric: "Invocations" | "Errors" | "Throttles" | "Duration" | "ConcurrentExecutions" | "UrlRequestCount" | "Url5xxCount" | "ProvisionedConcurrencySpilloverInvocations";
    stat: "Sum" | "Maximum" | "p50" | "p99";
}

/** A Cloud Monitoring metric of a Cloud Run revision, reduced per revision. */
export interface RunMetric {
    /** run.googleapis.com/… */
    metric: string;
    /** Extra filter clauses on metric labels, e.g. `metric.label.response_code_class = "5xx"`. */
    filter?: string;
    aligner: "ALIGN_RATE" | "ALIGN_PERCENTILE_50" | "ALIGN_PERCENTILE_99" | "ALIGN_MAX";
}

/** A dashboard panel. A platform without the signal leaves it out (said in docs/rollout.md). */
export interface Panel {
    id: string;
    title: string;
    /** Grafana unit id; the other platforms show the same numbers. */
    unit: "reqps" | "s" | "ms" | "percentunit" | "short";
    description: string;
    prometheus: (selector: PromSelector) => PromSeries[];
    /** Lambda: the metrics per side; undefined = not observable on Lambda. Ratios are drawn as two series. */
    lambda?: LambdaMetric[];
    /** Cloud Run: the metrics per revision; undefined = not observable on Cloud Run. */
    cloudRun?: RunMetric[];
}

/** The service's Prometheus metrics the panels and rules read (all carry model and model_version labels). */
const M = METRIC_NAMES;
const rate = (metric: string, selector: PromSelector, extra = "") => `rate(${metric}{${selector}${extra}}[5m])`;
const byVersion = (expr: string, extra = "") => `sum by (model_version${extra}) (${expr})`;

/** Share of model calls answered 5xx, per model version. */
export function errorShareExpr(selector: PromSelector): string {
    return `${byVersion(rate(M.requests, selector, ', status_code=~"5.."'))} / ${byVersion(rate(M.requests, selector))}`;
}

/** The q-quantile of model-call latency in seconds, per model version. */
export function latencyQuantileExpr(selector: PromSelector, q: number): string {
    return `histogram_quantile(${q}, ${byVersion(rate(`${M.requestDuration}_bucket`, selector), ", le")})`;
}

/** Share of model calls refused before the model (overload, draining, not ready), per model version. */
export function shedShareExpr(selector: PromSelector): string {
    return `${byVersion(rate(M.rejected, selector))} / ${byVersion(rate(M.requests, selector))}`;
}

export const PANELS: readonly Panel[] = [
    {
        id: "requests", title: "Model calls per second", unit: "reqps",
        description: "POST /predict and /v2/models/…/infer answered, by model version.",
        prometheus: (s) => [{ expr: byVersion(rate(M.requests, s)), legend: "{{model_version}}" }],
        lambda: [{ metric: "Invocations", stat: "Sum" }],
        cloudRun: [{ metric: "run.googleapis.com/request_count", aligner: "ALIGN_RATE" }],
    },
    {
        id: "latency", title: "Latency p50 / p99", unit: "s",
        description: "Model-call latency inside the service (Lambda: function duration; Cloud Run: request latency at the front end).",
        prometheus: (s) => [
            { expr: latencyQuantileExpr(s, 0.5), legend: "{{model_version}} p50" },
            { expr: latencyQuantileExpr(s, 0.99), legend: "{{model_version}} p99" },
        ],
        lambda: [{ metric: "Duration", stat: "p50" }, { metric: "Duration", stat: "p99" }],
        cloudRun: [
            { metric: "run.googleapis.com/request_latencies", aligner: "ALIGN_PERCENTILE_50" },
            { metric: "run.googleapis.com/request_latencies", aligner: "ALIGN_PERCENTILE_99" },
        ],
    },
    {
        id: "errors", title: "5xx share", unit: "percentunit",
        description: "Share of model calls answered with a 5xx status, by model version.",
        prometheus: (s) => [{ expr: errorShareExpr(s), legend: "{{model_version}}" }],
        lambda: [{ metric: "Url5xxCount", stat: "Sum" }, { metric: "Errors", stat: "Sum" }],
        cloudRun: [{ metric: "run.googleapis.com/request_count", filter: 'metric.label.response_code_class = "5xx"', aligner: "ALIGN_RATE" }],
    },
    {
        id: "queue", title: "Queue length", unit: "short",
        description: "Requests waiting for or running on the model, summed over pods (what the HPA scales on); Cloud Run: busiest instance's concurrent requests.",
        prometheus: (s) => [{ expr: byVersion(`${M.queueLength}{${s}}`), legend: "{{model_version}}" }],
        cloudRun: [{ metric: "run.googleapis.com/container/max_request_concurrencies", aligner: "ALIGN_PERCENTILE_99" }],
    },
    {
        id: "cache", title: "Prediction cache hit ratio", unit: "percentunit",
        description: "Rows answered from the in-process prediction cache (Prometheus only: serverless instances are not scraped).",
        prometheus: (s) => [{
            expr: `${byVersion(rate(M.cacheHits, s))} / (${byVersion(rate(M.cacheHits, s))} + ${byVersion(rate(M.cacheMisses, s))})`,
            legend: "{{model_version}}",
        }],
    },
    {
        id: "shed", title: "Shed requests (503)", unit: "reqps",
        description: "Model calls refused before the model, by reason; Lambda: throttles and provisioned-concurrency spillover; Cloud Run: 429/503 answers.",
        prometheus: (s) => [{ expr: byVersion(rate(M.rejected, s), ", reason"), legend: "{{model_version}} {{reason}}" }],
        lambda: [{ metric: "Throttles", stat: "Sum" }, { metric: "ProvisionedConcurrencySpilloverInvocations", stat: "Sum" }],
        cloudRun: [{ metric: "run.googleapis.com/request_count", filter: 'metric.label.response_code = monitoring.regex.full_match("429|503")', aligner: "ALIGN_RATE" }],
    },
    {
        id: "replicas", title: "Replicas", unit: "short",
        description: "Pods scraped, by model version; Lambda: concurrent executions; Cloud Run: instances.",
        prometheus: (s) => [{ expr: `count by (model_version) (process_start_time_seconds{${s}})`, legend: "{{model_version}}" }],
        lambda: [{ metric: "ConcurrentExecutions", stat: "Maximum" }],
        cloudRun: [{ metric: "run.googleapis.com/container/instance_count", aligner: "ALIGN_MAX" }],
    },
];

/** Alarm thresholds (stack config: latencySloMs, alarmErrorPercent). */
export interface AlarmThresholds {
    /** p99 model-call latency objective, milliseconds. */
    latencySloMs: number;
    /** 5xx share, and shed share, above which an alarm fires, percent. */
    errorPercent: number;
}

/** A stack's alarms: whether to render them, their thresholds, and where each platform notifies. */
export interface ObservabilitySpec {
    alarms: boolean;
    thresholds: AlarmThresholds;
    /** Lambda: SNS topic the CloudWatch alarms notify. */
    topicArn?: string;
    /** Cloud Run: Cloud Monitoring notification channels. */
    notificationChannels: string[];
    /** Kubernetes: labels on every alert, for Alertmanager routing. */
    alertLabels: Record<string, string>;
    /** Kubernetes: the prometheus-operator exists; its Prometheus selects rules and monitors by these labels. */
    prometheusOperator?: { labels: Record<string, string> };
}

export const DEFAULT_THRESHOLDS: AlarmThresholds = { latencySloMs: 250, errorPercent: 1 };

/** The alarms every platform renders (pods-not-ready on Kubernetes only, throttles on Lambda only). */
export const ALARMS = {
    errorRate: { summary: "5xx share above the threshold", minutes: 5, severity: "critical" },
    latencyP99: { summary: "p99 latency above the SLO", minutes: 10, severity: "warning" },
    shed: { summary: "requests shed (503) or throttled", minutes: 10, severity: "warning" },
    podsNotReady: { summary: "pods not ready", minutes: 10, severity: "warning" },
} as const;

export type AlarmId = keyof typeof ALARMS;
