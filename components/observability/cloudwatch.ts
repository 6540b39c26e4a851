import { ALARMS, PANELS, type AlarmThresholds, type LambdaMetric } from "./signals";

/**
 * The CloudWatch renderings of the signal list for a Lambda function behind its alias `live`: alarms on the alias
 * and on the canary version (ExecutedVersion dimension), and a dashboard with one widget per panel that Lambda
 * can show. Plain data with resolved names: the component applies them once the function's name is known.
 */

/** One side of the function: the alias as a whole, or one version executed through it. */
export interface LambdaSide {
    /** Label in alarm names and legends: "live", "canary". */
    label: string;
    /** Model version this side serves (legend). */
    modelVersion: string;
    /** Published function version; undefined = the alias as a whole. */
    executedVersion?: string;
}

/** What the Lambda alarms and dashboard need. */
export interface LambdaTarget {
    functionName: string;
    alias: string;
    region: string;
    /** The front door: Function URL metrics exist only for function-url. */
    endpoint: "function-url" | "http-api";
    /** The alias, then the canary version when there is one. */
    sides: LambdaSide[];
    thresholds: AlarmThresholds;
}

/** AWS/Lambda dimensions of one side. */
export function sideDimensions(target: LambdaTarget, side: LambdaSide): Record<string, string> {
    return {
        FunctionName: target.functionName,
        Resource: `${target.functionName}:${target.alias}`,
        ...(side.executedVersion ? { ExecutedVersion: side.executedVersion } : {}),
    };
}

/** A CloudWatch MetricAlarm's arguments (aws.cloudwatch.MetricAlarm), without actions. */
export interface LambdaAlarm {
    name: string;
    alarmDescription: string;
    comparisonOperator: "GreaterThanThreshold";
    threshold: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    treatMissingData: "notBreaching";
    metricQueries: Array<{
        id: string;
        expression?: string;
        label?: string;
        returnData: boolean;
        metric?: { namespace: string; metricName: string; period: number; stat: string; dimensions: Record<string, string> };
    }>;
}

const PERIOD = 60;

/**
 * The alarms of one function: per side (the alias, and the canary version), the 5xx share (Function URL 5xx over
 * requests; with an HTTP API, function errors over invocations) and p99 duration against the SLO; on the alias,
 * throttles. Names carry the function and side so two stacks never collide.
 */
export function lambdaAlarms(target: LambdaTarget): LambdaAlarm[] {
    const metric = (side: LambdaSide, metricName: string, stat: string) => ({
        namespace: "AWS/Lambda", metricName, period: PERIOD, stat, dimensions: sideDimensions(target, side),
    });
    const [errors, requests] = target.endpoint === "function-url" ? ["Url5xxCount", "UrlRequestCount"] : ["Errors", "Invocations"];
    const alarm = (side: LambdaSide, id: keyof typeof ALARMS, threshold: number, description: string, metricQueries: LambdaAlarm["metricQueries"]): LambdaAlarm => ({
        name: `${target.functionName}-${side.label}-${id}`,
        alarmDescription: `${target.functionName} ${side.label} (model ${side.modelVersion}): ${ALARMS[id].summary}. ${description}`,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: ALARMS[id].minutes,
        datapointsToAlarm: ALARMS[id].minutes,
        treatMissingData: "notBreaching",
        metricQueries,
    });
    const alarms: LambdaAlarm[] = [];
    for (const side of target.sides) {
        alarms.push(alarm(side, "errorRate", target.thresholds.errorPercent, `${errors} over ${requests}, percent.`, [
            { id: "errors", metric: metric(side, errors, "Sum"), returnData: false },
            { id: "requests", metric: metric(side, requests, "Sum"), returnData: false },
            { id: "share", expression: "100 * errors / MAX([requests, 1])", label: "5xx share (%)", returnData: true },
        ]));
        alarms.push(alarm(side, "latencyP99", target.thresholds.latencySloMs, "Duration p99, milliseconds.", [
            { id: "p99", metric: metric(side, "Duration", "p99"), returnData: true },
        ]));
    }
    const alias = target.sides[0];
    alarms.push(alarm(alias, "shed", 0, "Throttles, count per minute.", [{ id: "throttles", metric: metric(alias, "Throttles", "Sum"), returnData: true }]));
    return alarms;
}

/** The CloudWatch dashboard body (JSON): one metric widget per panel Lambda can show, a line per side. */
export function lambdaDashboardBody(target: LambdaTarget): string {
    const panels = PANELS.filter((panel) => panel.lambda !== undefined);
    const widgets = panels.map((panel, index) => ({
        type: "metric",
        x: (index % 2) * 12,
        y: Math.floor(index / 2) * 6,
        width: 12,
        height: 6,
        properties: {
            title: panel.title,
            region: target.region,
            view: "timeSeries",
            period: PERIOD,
            metrics: (panel.lambda as LambdaMetric[]).flatMap((m) => target.sides.map((side) => [
                "AWS/Lambda", m.metric, ...Object.entries(sideDimensions(target, side)).flat(),
                { stat: m.stat, label: `${side.label} (model ${side.modelVersion}) ${m.metric} ${m.stat}` },
            ])),
        },
    }));
    return JSON.stringify({ widgets });
}
