import { ALARMS, PANELS, type AlarmThresholds, type RunMetric } from "./signals";

/**
 * The Cloud Monitoring renderings of the signal list for a Cloud Run service: alert policies and a dashboard. Every
 * series is grouped by revision, and revisions are named after their model version (rollout/serverless.ts), so a
 * canary revision is watched, and drawn, on its own.
 */

/** What the Cloud Run policies and dashboard need. */
export interface RunTarget {
    /** Cloud Run service name. */
    serviceName: string;
    project: string;
    thresholds: AlarmThresholds;
}

const REVISION = "resource.label.revision_name";
/** Every request a revision answered: the denominator of the shares. */
const REQUESTS: RunMetric = { metric: "run.googleapis.com/request_count", aligner: "ALIGN_RATE" };

/** The Monitoring filter of one Cloud Run metric of this service. */
export function runFilter(target: RunTarget, metric: RunMetric): string {
    return [
        `metric.type = "${metric.metric}"`,
        'resource.type = "cloud_run_revision"',
        `resource.label.service_name = "${target.serviceName}"`,
        ...(metric.filter ? [metric.filter] : []),
    ].join(" AND ");
}

/** Per-revision aggregation: align each series, then sum (rates, counts) or keep per revision (percentiles). */
function aggregation(metric: RunMetric) {
    const percentile = metric.aligner.startsWith("ALIGN_PERCENTILE");
    return {
        alignmentPeriod: "60s",
        perSeriesAligner: metric.aligner,
        crossSeriesReducer: percentile ? "REDUCE_MAX" : "REDUCE_SUM",
        groupByFields: [REVISION],
    };
}

/** One gcp.monitoring.AlertPolicy condition. */
export interface RunCondition {
    displayName: string;
    conditionThreshold: {
        filter: string;
        comparison: "COMPARISON_GT";
        thresholdValue: number;
        duration: string;
        aggregations: Array<ReturnType<typeof aggregation>>;
        denominatorFilter?: string;
        denominatorAggregations?: Array<ReturnType<typeof aggregation>>;
    };
}

/** gcp.monitoring.AlertPolicy arguments, without project and channels. */
export interface RunAlertPolicy {
    id: keyof typeof ALARMS;
    displayName: string;
    combiner: "OR";
    severity: "CRITICAL" | "WARNING";
    conditions: RunCondition[];
    documentation: { content: string; mimeType: "text/markdown" };
}

/** Alert policies: 5xx share, p99 latency against the SLO, and shed (429/503) share, each per revision. */
export function runAlertPolicies(target: RunTarget): RunAlertPolicy[] {
    const panel = (id: string, index = 0) => {
        const found = PANELS.find((p) => p.id === id)?.cloudRun?.[index];
        if (!found) throw new Error(`panel ${id} has no Cloud Run metric ${index}`);
        return found;
    };
    const share = (metric: RunMetric) => ({
        filter: runFilter(target, metric),
        aggregations: [aggregation(metric)],
        denominatorFilter: runFilter(target, REQUESTS),
        denominatorAggregations: [aggregation(REQUESTS)],
        thresholdValue: target.thresholds.errorPercent / 100,
    });
    const policy = (id: keyof typeof ALARMS, what: string, condition: Omit<RunCondition["conditionThreshold"], "comparison" | "duration">): RunAlertPolicy => ({
        id,
        displayName: `${target.serviceName}: ${ALARMS[id].summary}`,
        combiner: "OR",
        severity: ALARMS[id].severity === "critical" ? "CRITICAL" : "WARNING",
        conditions: [{ displayName: what, conditionThreshold: { ...condition, comparison: "COMPARISON_GT", duration: `${ALARMS[id].minutes * 60}s` } }],
        documentation: {
            content: `Cloud Run service \`${target.serviceName}\`: ${what} on one revision (revision names carry the model version). See docs/rollout.md for rollback.`,
            mimeType: "text/markdown",
        },
    });
    const latency = panel("latency", 1);
    return [
        policy("errorRate", `5xx share above ${target.thresholds.errorPercent}%`, share(panel("errors"))),
        policy("latencyP99", `p99 latency above ${target.thresholds.latencySloMs} ms`, {
            filter: runFilter(target, latency), aggregations: [aggregation(latency)], thresholdValue: target.thresholds.latencySloMs,
        }),
        policy("shed", `429/503 share above ${target.thresholds.errorPercent}%`, share(panel("shed"))),
    ];
}

/** The Cloud Monitoring dashboard (dashboardJson): one chart per panel Cloud Run can show, a line per revision. */
export function runDashboard(target: RunTarget): Record<string, unknown> {
    const panels = PANELS.filter((panel) => panel.cloudRun !== undefined);
    return {
        displayName: `Model serving: ${target.serviceName}`,
        gridLayout: {
            columns: "2",
            widgets: panels.map((panel) => ({
                title: panel.title,
                xyChart: {
                    dataSets: (panel.cloudRun as RunMetric[]).map((metric) => ({
                        plotType: "LINE",
                        legendTemplate: `\${resource.labels.revision_name} ${metric.aligner.replace("ALIGN_", "").toLowerCase()}`,
                        // Shares are drawn as the metric over all requests of the revision.
                        timeSeriesQuery: panel.unit === "percentunit"
                            ? { timeSeriesFilterRatio: { numerator: { filter: runFilter(target, metric), aggregation: aggregation(metric) }, denominator: { filter: runFilter(target, REQUESTS), aggregation: aggregation(REQUESTS) } } }
                            : { timeSeriesFilter: { filter: runFilter(target, metric), aggregation: aggregation(metric) } },
                    })),
                },
            })),
        },
    };
}
