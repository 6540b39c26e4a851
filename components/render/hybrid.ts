import * as pulumi from "@pulumi/pulumi";
import { SERVICE_ENV } from "../../services/inference/src/contract";
import { policyDocument } from "../backends/aws-artifacts";
import type { HybridPlatform, ServiceSpec } from "../spec";
import { ArtifactStore, childOf, type RenderContext, type Rendered } from "./context";
import { renderCloudRun } from "./cloudrun";
import { renderEks } from "./eks";
import { renderGke } from "./gke";
import { renderLambda } from "./lambda";

/**
 * The serverless copy's spec: the same service, scaled to zero between bursts (it only takes what the baseline
 * cannot), up to the same maximum; a scaling schedule is for the baseline's HPA only. It stays private even when
 * the baseline is public: only the pods call it.
 */
export function overflowServiceSpec(service: ServiceSpec): ServiceSpec {
    const { max, cpuTargetPercent, queueLengthTarget, concurrency } = service.scaling;
    return { ...service, exposure: "private", scaling: { min: 0, max, cpuTargetPercent, queueLengthTarget, concurrency } };
}

/** The pods' overflow variables (services/inference/src/overflow.ts); 0 leaves the threshold at the service's queue bound. */
export function overflowEnvironment(platform: HybridPlatform, overflowUrl: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return {
        [SERVICE_ENV.overflowUrl.name]: overflowUrl,
        [SERVICE_ENV.overflowAuth.name]: platform.overflow.backend === "lambda" ? "aws-iam" : "gcp-id-token",
        ...(platform.queueThreshold > 0 ? { [SERVICE_ENV.overflowQueueThreshold.name]: String(platform.queueThreshold) } : {}),
    };
}

/**
 * IAM statements (JSON array) for the EKS pods: invoke this one Function URL (alias ARN), with IAM auth only.
 * Function URLs created since October 2025 also need lambda:InvokeFunction, limited here to calls through the URL.
 */
export function lambdaUrlInvokeStatements(aliasArn: string): string {
    return JSON.stringify([
        { Effect: "Allow", Action: "lambda:InvokeFunctionUrl", Resource: aliasArn, Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } } },
        { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: aliasArn, Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } } },
    ]);
}

/** The pods' policy when they only invoke the overflow. */
export function lambdaUrlInvokePolicy(aliasArn: string): string {
    return policyDocument([lambdaUrlInvokeStatements(aliasArn)]);
}

/** The component a hybrid's resources live under (its type and name are what existing stacks have). */
export class HybridService extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:hybrid:Service", name, {}, opts);
    }

    /** Records the URLs once both halves are declared. */
    public done(outputs: { url: pulumi.Output<string>; overflowUrl: pulumi.Output<string> }): void {
        this.registerOutputs(outputs);
    }
}

/**
 * hybrid = the baseline's render + the overflow's render + the wiring between them, under one HybridService:
 *
 *   eks → renderLambda (overflow: private Function URL) ─ alias ARN → the pods' Pod Identity policy ─ renderEks
 *   gke → renderCloudRun (overflow: no invokers) ─ service name → run.invoker for the pods' identity ─ renderGke
 *
 * Both halves share one ArtifactStore (one registry, one bucket); the pods get OVERFLOW_URL / OVERFLOW_AUTH.
 */
export function renderHybrid(ctx: RenderContext, platform: HybridPlatform): Rendered {
    const component = new HybridService(`${ctx.name}-hybrid`, childOf(ctx));
    const base = { name: `${ctx.name}-hybrid`, service: ctx.service, parent: component, stack: ctx.stack, kubernetesName: ctx.kubernetesName };
    const inner: RenderContext = { ...base, artifacts: new ArtifactStore(base) };
    const overflowCtx: RenderContext = { ...inner, service: overflowServiceSpec(ctx.service) };
    // The HPA schedule was declared beside the hybrid before it was rendered inside it.
    const scheduleOpts = { aliases: [{ name: `${ctx.name}-schedule`, parent: ctx.parent }] };
    const { baseline, overflow } = platform;

    let baselineRendered: Rendered;
    let overflowRendered: Rendered;
    if (baseline.backend === "eks" && overflow.backend === "lambda") {
        const lambda = renderLambda(overflowCtx, overflow, true);
        overflowRendered = lambda;
        baselineRendered = renderEks(inner, baseline, {
            env: overflowEnvironment(platform, lambda.url),
            podStatements: lambda.lambda.alias.arn.apply(lambdaUrlInvokeStatements),
        }, scheduleOpts);
    } else if (baseline.backend === "gke" && overflow.backend === "cloudrun") {
        const run = renderCloudRun(overflowCtx, overflow, true);
        overflowRendered = run;
        baselineRendered = renderGke(inner, baseline, {
            env: overflowEnvironment(platform, run.url),
            invokeRunService: { name: run.run.service.name, location: platform.region },
        }, scheduleOpts);
    } else {
        throw new pulumi.ResourceError(`hybrid: baseline ${baseline.backend} with overflow ${overflow.backend} is not a pair (eks+lambda, gke+cloudrun)`, component);
    }
    component.done({ url: baselineRendered.url, overflowUrl: overflowRendered.url });
    return {
        ...baselineRendered,
        overflowUrl: overflowRendered.url,
        resourceNames: { ...baselineRendered.resourceNames, ...overflowRendered.resourceNames },
    };
}
