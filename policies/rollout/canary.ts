import { StackValidationPolicy, PolicyResource } from "@pulumi/policy";
import { finding } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import { CLOUD_RUN_SERVICE } from "../lib/types";
import { CANARY_PERCENT_ANNOTATION, CANARY_SUFFIX, CANARY_TAG } from "../platform/rollout";

/** Rollout: how much traffic a canary may take, and that a production stack is watched. */

const LAMBDA_ALIAS = "aws:lambda/alias:Alias";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** What the policies read of a resource. */
type Rendered = Pick<PolicyResource, "type" | "name" | "urn" | "props">;

/** A canary as rendered: the resource that carries its share, the share in percent, and where it is read from. */
export interface CanaryShare {
    resource: Rendered;
    percent: number;
    where: string;
}

/** Every canary share a stack renders, on any backend; values unknown at preview are skipped (known at `pulumi up`). */
export function canaryShares(resources: readonly Rendered[]): CanaryShare[] {
    return resources.flatMap((resource): CanaryShare[] => {
        const read = readKnown(() => {
            switch (resource.type) {
                case LAMBDA_ALIAS: {
                    const weights = objectAt(objectAt(resource.props.routingConfig)?.additionalVersionWeights) ?? {};
                    return Object.entries(weights).map(([version, weight]) => ({ resource, percent: Math.round(Number(weight) * 1000) / 10, where: `routingConfig.additionalVersionWeights["${version}"]` }));
                }
                case CLOUD_RUN_SERVICE:
                    return arrayAt(resource.props.traffics).map(objectAt).flatMap((target, i) =>
                        target?.tag === CANARY_TAG ? [{ resource, percent: Number(target.percent ?? 0), where: `traffics[${i}].percent` }] : []);
                case HTTP_ROUTE:
                    return arrayAt(objectAt(resource.props.spec)?.rules).map(objectAt).flatMap((rule, i) => {
                        const refs = arrayAt(rule?.backendRefs).map(objectAt);
                        const total = refs.reduce((sum, ref) => sum + Number(ref?.weight ?? 1), 0);
                        return refs.flatMap((ref, j) => typeof ref?.name === "string" && ref.name.endsWith(CANARY_SUFFIX) && total > 0
                            ? [{ resource, percent: Math.round((1000 * Number(ref.weight ?? 1)) / total) / 10, where: `spec.rules[${i}].backendRefs[${j}].weight` }]
                            : []);
                    });
                case DEPLOYMENT: {
                    const annotation = objectAt(objectAt(resource.props.metadata)?.annotations)?.[CANARY_PERCENT_ANNOTATION];
                    return annotation === undefined ? [] : [{ resource, percent: Number(annotation), where: `metadata.annotations["${CANARY_PERCENT_ANNOTATION}"]` }];
                }
                default:
                    return [];
            }
        });
        return read.known ? read.value : [];
    });
}

export const canaryShare: StackValidationPolicy = {
    name: "canary-share",
    description: "A canary takes at most maxCanaryPercent of the requests (Lambda alias weight, Cloud Run tagged traffic, Gateway HTTPRoute weight, Kubernetes canary Deployment); advisory unless a stack's config makes it mandatory.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            maxCanaryPercent: { type: "number", minimum: 1, maximum: 99, default: 50, description: "Largest share of requests, in percent, a canary may take before it is reported." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { maxCanaryPercent } = args.getConfig<{ maxCanaryPercent: number }>();
        const shares = canaryShares(args.resources);
        if (shares.length === 0) return args.notApplicable("the stack runs no canary");
        for (const share of shares.filter((s) => s.percent > maxCanaryPercent)) {
            reportViolation(finding(
                `${share.resource.type} "${share.resource.name}" sends ${share.percent}% of requests to the canary (${share.where})`,
                `a canary takes at most ${maxCanaryPercent}%`,
                `lower model-serving:canaryPercent to ${maxCanaryPercent} or less, or promote the canary: set model-serving:modelVersion to its version and remove model-serving:canaryModelVersion and model-serving:canaryPercent`,
            ), share.resource.urn);
        }
    },
};

/** What counts as an alarm and as a dashboard, per platform. */
const ALARM_TYPES = ["aws:cloudwatch/metricAlarm:MetricAlarm", "gcp:monitoring/alertPolicy:AlertPolicy", "kubernetes:monitoring.coreos.com/v1:PrometheusRule"];
const DASHBOARD_TYPES = ["aws:cloudwatch/dashboard:Dashboard", "gcp:monitoring/dashboard:Dashboard"];

function isGrafanaDashboard(resource: Rendered): boolean {
    return resource.type === "kubernetes:core/v1:ConfigMap" && objectAt(objectAt(resource.props.metadata)?.labels)?.grafana_dashboard === "1";
}

/** The workloads a stack serves from: what must be watched. */
const WORKLOAD_TYPES = ["aws:lambda/function:Function", CLOUD_RUN_SERVICE, DEPLOYMENT];

export const alarmsPresent: StackValidationPolicy = {
    name: "alarms-present",
    description: "A production stack (requireAlarms) renders alarms (CloudWatch alarms, Cloud Monitoring alert policies or a PrometheusRule) and a dashboard for its workload.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireAlarms: { type: "boolean", default: false, description: "The stack is production: it must render alarms and a dashboard." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { requireAlarms } = args.getConfig<{ requireAlarms: boolean }>();
        if (!requireAlarms) return args.notApplicable("requireAlarms is false for this stack");
        if (!args.resources.some((r) => WORKLOAD_TYPES.includes(r.type))) return args.notApplicable("the stack has no workload");
        const missing = [
            ...(args.resources.some((r) => ALARM_TYPES.includes(r.type)) ? [] : [`no alarm (${ALARM_TYPES.join(", ")})`]),
            ...(args.resources.some((r) => DASHBOARD_TYPES.includes(r.type) || isGrafanaDashboard(r)) ? [] : ["no dashboard (CloudWatch, Cloud Monitoring, or a ConfigMap labelled grafana_dashboard: \"1\")"]),
        ];
        if (missing.length === 0) return;
        reportViolation(finding(
            `the production stack renders ${missing.join(" and ")}`,
            "alarms on 5xx share, p99 latency and shedding, and a dashboard",
            "keep model-serving:alarms true; on Kubernetes set model-serving:prometheusOperator true where kube-prometheus-stack runs (the PrometheusRule needs it)",
        ));
    },
};
