import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";

export const AAS_SCHEDULED_ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction";
export const CLOUD_SCHEDULER_JOB = "gcp:cloudscheduler/job:Job";
export const K8S_CRONJOB = "kubernetes:batch/v1:CronJob";

export interface ScheduleBounds {
    maxScheduledMinimum: number;
}

/** A scheduled minimum as a number, or why it cannot be checked. */
type Minimum = { value: number } | { problem: string };

function asMinimum(where: string, read: () => unknown): Minimum {
    const known = readKnown(read);
    if (!known.known) return { problem: `${where} cannot be known at preview (${known.path} is computed)` };
    const value = typeof known.value === "string" ? Number(known.value) : known.value;
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? { value } : { problem: `${where} ${JSON.stringify(known.value)} is not a whole number` };
}

/**
 * The minimum capacities a resource schedules: provisioned concurrency of a Lambda scheduled action,
 * minInstanceCount in the body of a Cloud Scheduler job that calls the Cloud Run Admin API, MIN_REPLICAS of a
 * CronJob container that patches an HPA. Resources that schedule something else yield nothing.
 */
export function scheduledMinimums(type: string, props: Record<string, unknown>): Minimum[] {
    if (type === AAS_SCHEDULED_ACTION) {
        const action = () => objectAt(props.scalableTargetAction);
        const min = asMinimum("scalableTargetAction.minCapacity", () => action()?.minCapacity ?? 0);
        const max = readKnown(() => action()?.maxCapacity);
        if ("value" in min && max.known && typeof max.value === "number" && min.value > max.value) {
            return [{ problem: `scalableTargetAction.minCapacity ${min.value} exceeds maxCapacity ${max.value}` }];
        }
        return [min];
    }
    if (type === CLOUD_SCHEDULER_JOB) {
        const target = () => objectAt(props.httpTarget);
        const uri = readKnown(() => target()?.uri);
        if (uri.known && !(typeof uri.value === "string" && uri.value.includes("updateMask=scaling.minInstanceCount"))) return [];
        const body = readKnown(() => target()?.body);
        if (!body.known || typeof body.value !== "string") return [{ problem: "httpTarget.body cannot be known at preview" }];
        try {
            const decoded = JSON.parse(Buffer.from(body.value, "base64").toString("utf8"));
            return [asMinimum("httpTarget.body scaling.minInstanceCount", () => objectAt(decoded.scaling)?.minInstanceCount)];
        } catch {
            return [{ problem: "httpTarget.body is not base64-encoded JSON" }];
        }
    }
    if (type === K8S_CRONJOB) {
        const pod = objectAt(objectAt(objectAt(objectAt(objectAt(props.spec)?.jobTemplate)?.spec)?.template)?.spec);
        return arrayAt(pod?.containers).flatMap((container) =>
            arrayAt(objectAt(container)?.env)
                .filter((env) => objectAt(env)?.name === "MIN_REPLICAS")
                .map((env) => asMinimum("env MIN_REPLICAS", () => objectAt(env)?.value)));
    }
    return [];
}

export function scheduledMinimumProblems(type: string, props: Record<string, unknown>, bounds: ScheduleBounds): string[] {
    return scheduledMinimums(type, props).flatMap((m) => {
        if ("problem" in m) return [m.problem];
        return m.value > bounds.maxScheduledMinimum ? [`scheduled minimum ${m.value} exceeds the allowed maximum ${bounds.maxScheduledMinimum}`] : [];
    });
}

export const scheduledCapacityBounds: ResourceValidationPolicy = {
    name: "scheduled-capacity-bounds",
    description: "Scheduled scaling (Lambda scheduled actions, Cloud Scheduler min-instance jobs, HPA-patching CronJobs) never schedules a minimum above the configured bound.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxScheduledMinimum: { type: "integer", minimum: 0, default: 20, description: "Largest minimum capacity a schedule may set (replicas, instances or provisioned concurrency)." },
        },
    },
    validateResource: forTypes("scheduled-capacity-bounds", [AAS_SCHEDULED_ACTION, CLOUD_SCHEDULER_JOB, K8S_CRONJOB], (args, reportViolation) => {
        if (scheduledMinimums(args.type, args.props).length === 0) return args.notApplicable("schedules no minimum capacity");
        const bounds = args.getConfig<ScheduleBounds>();
        const problems = scheduledMinimumProblems(args.type, args.props, bounds);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`, `scheduled minimums are whole numbers ≤ ${bounds.maxScheduledMinimum}`,
                "lower the schedule's minimum (on the ModelService: scalingSchedule) and let the autoscaler add capacity on demand"));
        }
    }),
};
