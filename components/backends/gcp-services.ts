import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Platform, ServiceSpec } from "../spec";

/**
 * The Google APIs a GCP stack calls, so a fresh project works on the first `pulumi up`: every stack pushes to
 * Artifact Registry and keeps a bucket; gke needs the container API and IAM credentials for Workload Identity;
 * cloudrun the run API; schedules Cloud Scheduler; secrets Secret Manager.
 */
export function projectServices(platform: Platform, service: ServiceSpec): string[] {
    const backends = platform.backend === "hybrid" ? [platform.baseline.backend, platform.overflow.backend] : [platform.backend];
    if (!backends.some((b) => b === "gke" || b === "cloudrun")) return [];
    const apis = new Set(["artifactregistry.googleapis.com", "storage.googleapis.com", "iam.googleapis.com"]);
    if (backends.includes("gke")) ["container.googleapis.com", "iamcredentials.googleapis.com"].forEach((a) => apis.add(a));
    if (backends.includes("cloudrun")) apis.add("run.googleapis.com");
    if (service.scaling.schedule && platform.backend === "cloudrun") apis.add("cloudscheduler.googleapis.com");
    if (service.secretEnv.length > 0 && backends.includes("cloudrun")) apis.add("secretmanager.googleapis.com");
    return [...apis].sort();
}

/** Arguments of {@link GcpProjectServices}. */
export interface GcpProjectServicesArgs {
    project: string;
    services: readonly string[];
}

/**
 * Enables the project's APIs. `disableOnDestroy: false`: other stacks and people use the same project, so
 * destroying this stack must not switch an API off under them.
 */
export class GcpProjectServices extends pulumi.ComponentResource {
    constructor(name: string, args: GcpProjectServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:gcp:ProjectServices", name, {}, opts);
        for (const service of args.services) {
            new gcp.projects.Service(`${name}-${service.split(".")[0]}`, { project: args.project, service, disableOnDestroy: false, disableDependentServices: false }, { parent: this });
        }
        this.registerOutputs({});
    }
}
