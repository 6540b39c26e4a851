import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { serviceAccountId } from "../naming";
import type { ScalingSchedule } from "./spec";

/** Arguments of {@link ScheduledMinInstances}. */
export interface ScheduledMinInstancesArgs {
    project: string;
    region: string;
    /** Name of the Cloud Run service. */
    serviceName: pulumi.Input<string>;
    /** Email of the service's runtime identity: updating a service requires acting as it. */
    runtimeServiceAccountEmail: pulumi.Input<string>;
    schedule: ScalingSchedule;
    /** Prefix of the scheduler's service account id (6-30 characters in all). */
    accountPrefix: string;
    /** Stack: the scheduler's account id carries a hash of it, so stacks sharing a project have their own. */
    stack: string;
}

/** The Cloud Run Admin API call that sets the service-level minimum, which (unlike the template's) creates no revision. */
export function minInstancesRequest(project: string, region: string, service: string, minInstances: number): { uri: string; body: string } {
    return {
        uri: `https://run.googleapis.com/v2/projects/${project}/locations/${region}/services/${service}?updateMask=scaling.minInstanceCount`,
        body: JSON.stringify({ scaling: { minInstanceCount: minInstances } }),
    };
}

/**
 * Scheduled scaling on Cloud Run: Cloud Scheduler jobs, one per schedule entry, that PATCH the service's
 * scaling.minInstanceCount through the Admin API with an OAuth token of a dedicated service account.
 * That account is granted roles/run.developer on this one service and roles/iam.serviceAccountUser on
 * the runtime identity only, nothing project-wide.
 *
 *   ServiceAccount <prefix>-sched ─ run.developer on the service, serviceAccountUser on the runtime identity
 *   Cloud Scheduler job <service>-min-<entry> (cron, timeZone, region) ─PATCH→ run.googleapis.com/v2/…/services/<service>
 */
export class ScheduledMinInstances extends pulumi.ComponentResource {
    public readonly schedulerAccount: gcp.serviceaccount.Account;

    constructor(name: string, args: ScheduledMinInstancesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:schedule:ScheduledMinInstances", name, {}, opts);
        const child = { parent: this };
        this.schedulerAccount = new gcp.serviceaccount.Account(`${name}-account`, {
            project: args.project,
            accountId: serviceAccountId(args.accountPrefix, "sched", args.stack),
            displayName: "Sets Cloud Run min instances on a schedule",
        }, child);
        const member = pulumi.interpolate`serviceAccount:${this.schedulerAccount.email}`;
        const canUpdate = new gcp.cloudrunv2.ServiceIamMember(`${name}-run-developer`, {
            project: args.project, location: args.region, name: args.serviceName, role: "roles/run.developer", member,
        }, child);
        const canActAs = new gcp.serviceaccount.IAMMember(`${name}-act-as-runtime`, {
            serviceAccountId: pulumi.interpolate`projects/${args.project}/serviceAccounts/${args.runtimeServiceAccountEmail}`,
            role: "roles/iam.serviceAccountUser",
            member,
        }, child);
        for (const entry of args.schedule.entries) {
            const request = pulumi.output(args.serviceName).apply((service) => minInstancesRequest(args.project, args.region, service, entry.minCapacity));
            new gcp.cloudscheduler.Job(`${name}-${entry.name}`, {
                project: args.project,
                region: args.region,
                name: pulumi.interpolate`${args.serviceName}-min-${entry.name}`,
                description: `Cloud Run min instances → ${entry.minCapacity}`,
                schedule: entry.cron,
                timeZone: args.schedule.timeZone,
                attemptDeadline: "60s",
                retryConfig: { retryCount: 3, minBackoffDuration: "10s" },
                httpTarget: {
                    httpMethod: "PATCH",
                    uri: request.uri,
                    body: request.body.apply((b) => Buffer.from(b).toString("base64")),
                    headers: { "Content-Type": "application/json" },
                    oauthToken: { serviceAccountEmail: this.schedulerAccount.email, scope: "https://www.googleapis.com/auth/cloud-platform" },
                },
            }, { ...child, dependsOn: [canUpdate, canActAs] });
        }
        this.registerOutputs({ schedulerAccount: this.schedulerAccount.email });
    }
}
