import type * as pulumi from "@pulumi/pulumi";
import { CloudRunService } from "../backends/cloudrun";
import { ScheduledMinInstances } from "../schedule/cloudrun";
import type { Platform } from "../spec";
import { childOf, type RenderContext, type Rendered } from "./context";

type CloudRunPlatform = Extract<Platform, { backend: "cloudrun" }>;

/** The Cloud Run service a render declares, for a hybrid's wiring (the pods' identity is granted run.invoker on it). */
export interface RenderedCloudRun extends Rendered {
    run: CloudRunService;
}

/**
 * cloudrun → the stack's Artifact Registry repository and GCS bucket, the server image (built here unless `image`
 * names one), CloudRunService and its scaling schedule. As a hybrid's overflow (`overflow`) it is named
 * "<name>-overflow" and has no invokers from the config: only the pods' identity may call it.
 */
export function renderCloudRun(ctx: RenderContext, platform: CloudRunPlatform, overflow = false): RenderedCloudRun {
    const { service } = ctx;
    const artifacts = ctx.artifacts.gcpArtifacts(platform.region, platform.project);
    // Cloud Run runs x86-64 containers only.
    const image = ctx.artifacts.gcpImage(platform.region, platform.project, "server", "x86_64", service.image);
    const run = new CloudRunService(`${ctx.name}-${overflow ? "overflow" : "run"}`, {
        service, platform: overflow ? { ...platform, invokers: [] } : platform, image, modelBucket: artifacts.modelBucket.name,
        serviceName: overflow ? "overflow" : undefined, stack: ctx.stack,
    }, childOf(ctx));
    if (service.scaling.schedule && !overflow) {
        new ScheduledMinInstances(`${ctx.name}-schedule`, {
            project: platform.project, region: platform.region, serviceName: run.service.name,
            runtimeServiceAccountEmail: run.serviceAccount.email, schedule: service.scaling.schedule, accountPrefix: service.name, stack: ctx.stack,
        }, childOf(ctx));
    }
    const resourceNames: Record<string, pulumi.Input<string>> = overflow
        ? { overflowService: run.service.name }
        : { repository: artifacts.repository.repositoryId, modelBucket: artifacts.modelBucket.name, service: run.service.name, serviceAccount: run.serviceAccount.email };
    return { url: run.url, image, resourceNames, run };
}
