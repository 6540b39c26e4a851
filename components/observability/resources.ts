import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { runAlertPolicies, runDashboard, type RunTarget } from "./cloud-monitoring";
import { lambdaAlarms, lambdaDashboardBody, type LambdaTarget } from "./cloudwatch";
import { instanceSelector, trackName } from "../rollout/kubernetes";
import type { ServiceSpec } from "../spec";
import { grafanaDashboard, prometheusRuleSpec, type RuleOptions } from "./prometheus";
import { DEFAULT_THRESHOLDS, type ObservabilitySpec } from "./signals";

/**
 * The observability of one service as resources, per platform. The specs come from the pure builders beside this
 * file; these components only declare them. Names that are outputs (a function's, a service's) are filled in by
 * apply; the number and logical names of the resources are fixed by a dry render with a placeholder name.
 */

const PLACEHOLDER = "service";

/** Arguments of {@link KubernetesObservability}. */
export interface KubernetesObservabilityArgs extends RuleOptions {
    provider: k8s.Provider;
    /** Namespace the dashboard ConfigMap (and the operator's objects) go to. */
    namespaceName: pulumi.Input<string>;
    /** Selector of every pod of the service, stable and canary: what the PodMonitor scrapes. */
    podSelector: Record<string, string>;
    /** Labels of the common labels set on every object. */
    labels: Record<string, string>;
    /** With the prometheus-operator: labels its Prometheus selects rules and monitors by; undefined = no operator. */
    operatorLabels?: Record<string, string>;
    /** Render the PrometheusRule (with the operator); false = dashboard and scraping only. */
    alerts: boolean;
}

/**
 * Kubernetes: the Grafana dashboard as a ConfigMap labelled grafana_dashboard: "1" (the Grafana sidecar's default
 * label) and, when the prometheus-operator exists, a PodMonitor that scrapes both sides and the PrometheusRule.
 */
export class KubernetesObservability extends pulumi.ComponentResource {
    constructor(name: string, args: KubernetesObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:observability:Kubernetes", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const metadata = (suffix: string, extra: Record<string, string> = {}) => ({
            name: `${args.model}-${suffix}`, namespace: args.namespaceName, labels: { ...args.labels, ...extra },
        });
        new k8s.core.v1.ConfigMap(`${name}-dashboard`, {
            metadata: metadata("dashboard", { grafana_dashboard: "1" }),
            data: { "model-serving-inference.json": JSON.stringify(grafanaDashboard({ namespace: args.namespace, model: args.model })) },
        }, child);
        if (args.operatorLabels) {
            new k8s.apiextensions.CustomResource(`${name}-pod-monitor`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: metadata("pods", args.operatorLabels),
                spec: { selector: { matchLabels: args.podSelector }, podMetricsEndpoints: [{ port: "http", path: "/metrics", interval: "30s" }] },
            }, child);
            if (args.alerts) new k8s.apiextensions.CustomResource(`${name}-rules`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: metadata("alerts", args.operatorLabels),
                spec: prometheusRuleSpec(args),
            }, child);
        }
        this.registerOutputs({});
    }
}

/** Arguments of {@link LambdaObservability}: the target with the function's name as an output. */
export interface LambdaObservabilityArgs extends Omit<LambdaTarget, "functionName" | "sides"> {
    functionName: pulumi.Input<string>;
    sides: Array<Omit<LambdaTarget["sides"][number], "executedVersion"> & { executedVersion?: pulumi.Input<string> }>;
    /** SNS topic ARN alarms notify (on alarm and on recovery); undefined = no notification. */
    topicArn?: string;
}

/** Lambda: CloudWatch alarms on the alias and the canary version, and a CloudWatch dashboard. */
export class LambdaObservability extends pulumi.ComponentResource {
    constructor(name: string, args: LambdaObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:observability:Lambda", name, {}, opts);
        const child = { parent: this };
        const target: pulumi.Output<LambdaTarget> = pulumi.all([pulumi.output(args.functionName), ...args.sides.map((side) => pulumi.output(side.executedVersion))])
            .apply(([functionName, ...versions]) => ({
                ...args, functionName: functionName as string, sides: args.sides.map((side, i) => ({ ...side, executedVersion: versions[i] })),
            }));
        const actions = args.topicArn ? [args.topicArn] : [];
        const dry = lambdaAlarms({ ...args, functionName: PLACEHOLDER, sides: args.sides.map((side) => ({ ...side, executedVersion: undefined })) });
        dry.forEach((shape, index) => {
            const alarm = target.apply((t) => lambdaAlarms(t)[index]);
            new aws.cloudwatch.MetricAlarm(`${name}-${shape.name.slice(PLACEHOLDER.length + 1)}`, {
                name: alarm.name,
                alarmDescription: alarm.alarmDescription,
                comparisonOperator: shape.comparisonOperator,
                threshold: shape.threshold,
                evaluationPeriods: shape.evaluationPeriods,
                datapointsToAlarm: shape.datapointsToAlarm,
                treatMissingData: shape.treatMissingData,
                metricQueries: alarm.metricQueries,
                alarmActions: actions,
                okActions: actions,
                region: args.region,
            }, child);
        });
        new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
            dashboardName: target.apply((t) => `${t.functionName}-inference`),
            dashboardBody: target.apply((t) => lambdaDashboardBody(t)),
            region: args.region,
        }, child);
        this.registerOutputs({});
    }
}

/** Arguments of {@link CloudRunObservability}. */
export interface CloudRunObservabilityArgs extends Omit<RunTarget, "serviceName"> {
    serviceName: pulumi.Input<string>;
    /** Notification channels (projects/…/notificationChannels/…) the policies notify. */
    notificationChannels: string[];
}

/** Cloud Run: Cloud Monitoring alert policies per revision, and a Cloud Monitoring dashboard. */
export class CloudRunObservability extends pulumi.ComponentResource {
    constructor(name: string, args: CloudRunObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:observability:CloudRun", name, {}, opts);
        const child = { parent: this };
        const target = pulumi.output(args.serviceName).apply((serviceName) => ({ ...args, serviceName }));
        const dry = runAlertPolicies({ ...args, serviceName: PLACEHOLDER });
        dry.forEach((shape, index) => {
            const policy = target.apply((t) => runAlertPolicies(t)[index]);
            new gcp.monitoring.AlertPolicy(`${name}-${shape.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, {
                project: args.project,
                displayName: policy.displayName,
                combiner: shape.combiner,
                severity: shape.severity,
                conditions: policy.conditions,
                documentation: policy.documentation,
                notificationChannels: args.notificationChannels,
            }, child);
        });
        new gcp.monitoring.Dashboard(`${name}-dashboard`, {
            project: args.project,
            dashboardJson: target.apply((t) => JSON.stringify(runDashboard(t))),
        }, child);
        this.registerOutputs({});
    }
}

/** The stack's alarm settings, with the defaults when the spec carries none (specs built in code). */
export function observabilityOf(service: ServiceSpec): ObservabilitySpec {
    return service.observability ?? { alarms: true, thresholds: DEFAULT_THRESHOLDS, notificationChannels: [], alertLabels: {} };
}

/**
 * A Lambda service's alarms and dashboard: sides "live" (the alias) and, with a canary, "canary" (its version as
 * executed through the alias). Nothing when the stack turns alarms off.
 */
export function observeLambda(
    name: string, service: ServiceSpec, target: { functionName: pulumi.Input<string>; canaryVersion: pulumi.Input<string>; region: string; endpoint: LambdaTarget["endpoint"] },
    opts: pulumi.ComponentResourceOptions,
): LambdaObservability | undefined {
    const spec = observabilityOf(service);
    if (!spec.alarms) return undefined;
    return new LambdaObservability(`${name}-observability`, {
        functionName: target.functionName, alias: "live", region: target.region, endpoint: target.endpoint, thresholds: spec.thresholds, topicArn: spec.topicArn,
        sides: [
            { label: "live", modelVersion: service.model.version },
            ...(service.canary ? [{ label: "canary", modelVersion: service.canary.version, executedVersion: target.canaryVersion }] : []),
        ],
    }, opts);
}

/** A Cloud Run service's alert policies and dashboard, per revision. Nothing when the stack turns alarms off. */
export function observeCloudRun(
    name: string, service: ServiceSpec, target: { serviceName: pulumi.Input<string>; project: string }, opts: pulumi.ComponentResourceOptions,
): CloudRunObservability | undefined {
    const spec = observabilityOf(service);
    if (!spec.alarms) return undefined;
    return new CloudRunObservability(`${name}-observability`, {
        serviceName: target.serviceName, project: target.project, thresholds: spec.thresholds, notificationChannels: spec.notificationChannels,
    }, opts);
}

/**
 * A Kubernetes service's dashboard (ConfigMap for the Grafana sidecar, always) and, with the prometheus-operator, its
 * PodMonitor and (unless alarms are off) PrometheusRule over the stable and canary Deployments.
 */
export function observeKubernetes(
    name: string, service: ServiceSpec, target: { namespace: string; namespaceName: pulumi.Input<string>; provider: k8s.Provider; labels: Record<string, string> },
    opts: pulumi.ComponentResourceOptions,
): KubernetesObservability {
    const spec = observabilityOf(service);
    return new KubernetesObservability(`${name}-observability`, {
        provider: target.provider, namespace: target.namespace, namespaceName: target.namespaceName, labels: target.labels,
        model: service.model.name, podSelector: instanceSelector(service.name), thresholds: spec.thresholds, alertLabels: spec.alertLabels,
        deployments: [service.name, ...(service.canary ? [trackName(service.name, "canary")] : [])],
        alerts: spec.alarms, operatorLabels: spec.prometheusOperator?.labels,
    }, opts);
}
