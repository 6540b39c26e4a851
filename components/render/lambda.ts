import type * as pulumi from "@pulumi/pulumi";
import { LambdaService } from "../backends/lambda";
import { ScheduledProvisionedConcurrency } from "../schedule/lambda";
import type { Platform } from "../spec";
import { childOf, type RenderContext, type Rendered } from "./context";

type LambdaPlatform = Extract<Platform, { backend: "lambda" }>;

/** The Lambda function a render declares, for a hybrid's wiring (its alias ARN goes into the pods' policy). */
export interface RenderedLambda extends Rendered {
    lambda: LambdaService;
}

/**
 * lambda → the stack's ECR repository and model bucket, the Lambda-target image (built here unless `image` names
 * one), LambdaService and its scaling schedule. As a hybrid's overflow (`overflow`), the function is a private
 * Function URL named "<name>-overflow" and runs `lambdaImage` when the config names a prebuilt one.
 */
export function renderLambda(ctx: RenderContext, platform: LambdaPlatform, overflow = false): RenderedLambda {
    const { service } = ctx;
    const artifacts = ctx.artifacts.awsArtifacts(platform.region);
    const prebuilt = overflow ? service.lambdaImage : service.image;
    const image = ctx.artifacts.awsImage(platform.region, "lambda", platform.architecture, prebuilt);
    const lambda = new LambdaService(`${ctx.name}-${overflow ? "overflow" : "lambda"}`, {
        service, region: platform.region, imageUri: image, modelReadPolicy: artifacts.modelReadPolicy(), architecture: platform.architecture,
        endpoint: overflow ? "function-url" : platform.endpoint, logRetentionDays: platform.logRetentionDays, stack: ctx.stack, role: overflow ? "overflow" : undefined,
    }, childOf(ctx));
    if (service.scaling.schedule && !overflow) {
        new ScheduledProvisionedConcurrency(`${ctx.name}-schedule`, {
            functionName: lambda.function.name, aliasName: lambda.alias.name, schedule: service.scaling.schedule, region: platform.region,
        }, childOf(ctx));
    }
    const resourceNames: Record<string, pulumi.Input<string>> = overflow
        ? { overflowFunction: lambda.function.name }
        : { repository: artifacts.repository.name, modelBucket: artifacts.modelBucket.bucket, function: lambda.function.name, alias: lambda.alias.name };
    return { url: lambda.url, image, resourceNames, lambda };
}
