import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsCron, type ScalingSchedule } from "./spec";

/** Arguments of {@link ScheduledProvisionedConcurrency}. */
export interface ScheduledProvisionedConcurrencyArgs {
    functionName: pulumi.Input<string>;
    /** The alias callers reach; provisioned concurrency lives on it. */
    aliasName: pulumi.Input<string>;
    schedule: ScalingSchedule;
    /** Region of the function. */
    region: string;
}

/**
 * Scheduled scaling on Lambda: Application Auto Scaling scheduled actions on the alias's provisioned
 * concurrency, one per schedule entry. Each action pins min = max = the entry's capacity, because no
 * target-tracking policy runs beside it: the schedule alone decides how many environments stay warm.
 *
 *   ScalableTarget lambda:function:ProvisionedConcurrency (function:<name>:<alias>)
 *     └─ ScheduledAction <name>-<entry> (cron(...), timezone) → min = max = capacity
 */
export class ScheduledProvisionedConcurrency extends pulumi.ComponentResource {
    public readonly target: aws.appautoscaling.Target;

    constructor(name: string, args: ScheduledProvisionedConcurrencyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:schedule:ScheduledProvisionedConcurrency", name, {}, opts);
        const child = { parent: this };
        const capacities = args.schedule.entries.map((e) => e.minCapacity);
        this.target = new aws.appautoscaling.Target(`${name}-target`, {
            region: args.region,
            serviceNamespace: "lambda",
            scalableDimension: "lambda:function:ProvisionedConcurrency",
            resourceId: pulumi.interpolate`function:${args.functionName}:${args.aliasName}`,
            minCapacity: Math.min(...capacities),
            maxCapacity: Math.max(...capacities),
        }, child);
        for (const entry of args.schedule.entries) {
            new aws.appautoscaling.ScheduledAction(`${name}-${entry.name}`, {
                region: args.region,
                name: pulumi.interpolate`${args.functionName}-${entry.name}`,
                serviceNamespace: this.target.serviceNamespace,
                scalableDimension: this.target.scalableDimension,
                resourceId: this.target.resourceId,
                schedule: awsCron(entry.cron),
                timezone: args.schedule.timeZone,
                scalableTargetAction: { minCapacity: entry.minCapacity, maxCapacity: entry.minCapacity },
            }, child);
        }
        this.registerOutputs({ target: this.target.id });
    }
}
