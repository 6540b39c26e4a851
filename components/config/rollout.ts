import { parseGatewayRef, type GatewayRef } from "../rollout/kubernetes";
import { CANARY_PERCENT, replicaShare, replicaSplit, type CanarySpec } from "../rollout/canary";
import type { ObservabilitySpec } from "../observability/signals";
import { PROJECT, type Readers } from "./readers";

/**
 * The rollout and observability keys: canaryModelVersion / canaryPercent, the alarm thresholds and notification
 * targets, the prometheus-operator and the Gateway. Each problem names the key, the value and what is allowed.
 */

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LABEL = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)=([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?$/;
const SNS_TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const CHANNEL = /^projects\/[a-z0-9-]+\/notificationChannels\/\d+$/;

/** The canary, or undefined without one; `modelVersion` is the stable version it must differ from. */
export function parseCanary(r: Readers, modelVersion: string, modelPath: string): CanarySpec | undefined {
    const version = r.str("canaryModelVersion");
    const percentText = r.raw("canaryPercent");
    if (!version) {
        if (percentText !== undefined && percentText !== "0") {
            r.problem(`${PROJECT}:canaryPercent`, percentText, `needs ${PROJECT}:canaryModelVersion; set the version the canary serves, or remove canaryPercent`);
        }
        return undefined;
    }
    if (!VERSION.test(version)) r.problem(`${PROJECT}:canaryModelVersion`, version, "is not a version made of letters, digits, '.', '_' and '-'");
    if (version === modelVersion) r.problem(`${PROJECT}:canaryModelVersion`, version, `is ${PROJECT}:modelVersion itself; a canary serves another version (to promote it, remove the canary keys)`);
    if (modelPath) r.problem(`${PROJECT}:canaryModelVersion`, version, `cannot be combined with ${PROJECT}:modelPath ${JSON.stringify(modelPath)}: the canary's model is found by version (the image's models/<name>/<version> or the bucket); remove modelPath`);
    const percent = r.int("canaryPercent", CANARY_PERCENT.min, CANARY_PERCENT.max);
    return { version, percent };
}

/** A list of name=value labels as a record; problems name the key and the entry. */
function labels(r: Readers, key: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const entry of r.list(key)) {
        const match = LABEL.exec(entry);
        if (!match) r.problem(`${PROJECT}:${key}`, entry, "is not a Kubernetes label name=value (letters, digits, '-', '_', '.')");
        else result[entry.slice(0, entry.indexOf("="))] = entry.slice(entry.indexOf("=") + 1);
    }
    return result;
}

/** Alarms: on/off, thresholds, and where each platform notifies. */
export function parseObservability(r: Readers): ObservabilitySpec {
    const topicArn = r.str("alarmTopicArn");
    if (topicArn && !SNS_TOPIC.test(topicArn)) r.problem(`${PROJECT}:alarmTopicArn`, topicArn, "is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)");
    const channels = r.list("alarmNotificationChannels");
    for (const channel of channels) {
        if (!CHANNEL.test(channel)) r.problem(`${PROJECT}:alarmNotificationChannels`, channel, "is not a notification channel name (projects/<project>/notificationChannels/<id>)");
    }
    const operator = r.bool("prometheusOperator");
    return {
        alarms: r.bool("alarms"),
        thresholds: { latencySloMs: r.int("latencySloMs", 1, 600000), errorPercent: r.int("alarmErrorPercent", 1, 50) },
        topicArn: topicArn || undefined,
        notificationChannels: channels,
        alertLabels: labels(r, "alertLabels"),
        ...(operator ? { prometheusOperator: { labels: labels(r, "prometheusRuleLabels") } } : {}),
    };
}

/** The Gateway an HTTPRoute attaches to, or undefined. */
export function parseGateway(r: Readers): GatewayRef | undefined {
    const text = r.str("gatewayName");
    if (!text) return undefined;
    const gateway = parseGatewayRef(text);
    if (!gateway) r.problem(`${PROJECT}:gatewayName`, text, "is not a Gateway name or namespace/name (lowercase DNS labels)");
    return gateway;
}

/**
 * Without a Gateway, a Kubernetes canary's share is its share of pods: a warning when, at the minimum, that is far
 * from the percent asked for (more than 5 points off), naming what would make it exact.
 */
export function replicaShareWarning(canary: CanarySpec, scaling: { min: number; max: number }, backend: string, source: string): string | undefined {
    const share = replicaShare(replicaSplit(scaling, canary.percent));
    if (Math.abs(share.atMin - canary.percent) <= 5) return undefined;
    const split = replicaSplit(scaling, canary.percent);
    return `${source}: ${PROJECT}:canaryPercent ${canary.percent} on ${backend} without a Gateway splits pods, not requests: ` +
        `${split.canary.min} canary of ${split.canary.min + split.stable.min} pods at the minimum (${share.atMin}%), ${share.atMax}% at the maximum; ` +
        `set ${PROJECT}:gatewayName for exact weights, or raise ${PROJECT}:minReplicas`;
}
