import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig } from "./config/parse";
import { ModelService } from "./model-service";

/** The stack outputs every backend produces. */
export interface ProgramOutputs {
    /** Where callers reach the service. */
    url: pulumi.Output<string>;
    /** Image reference the service runs: repository@sha256:… when this stack built it. */
    image: pulumi.Output<string>;
    /** hybrid only: the private serverless overflow the pods forward to (absent, not undefined, elsewhere). */
    overflowUrl?: pulumi.Output<string>;
    /** New EKS / GKE clusters: a kubeconfig (secret) another stack's clusterStackReference can use. */
    kubeconfig?: pulumi.Output<string>;
    /** eks, gke, cloudrun, lambda or hybrid. */
    backend: string;
    /** Region the service runs in. */
    region: string;
    /** Served model version. */
    modelVersion: string;
    /** While a canary runs: its model version and share of requests (docs/rollout.md). */
    canary?: { modelVersion: string; percent: number };
    /** Names of the main resources (registry, bucket, cluster / function / service, …). */
    resourceNames: pulumi.Output<Record<string, string>>;
}

/** Where `pulumi` reads this stack's config from (Pulumi.yaml sets stackConfigDir: stacks). */
export function stackConfigFile(stack: string): string {
    return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * The whole Pulumi program: read the stack's config, validate it into a spec, declare one ModelService. index.ts
 * runs it for `pulumi up`; plan/render.ts runs the same function under mocks. `configFile` only changes how
 * messages name the config's origin (the plan CLI reads files from anywhere).
 */
export function modelServingProgram(opts: { configFile?: string } = {}): ProgramOutputs {
    const source = opts.configFile ?? stackConfigFile(pulumi.getStack());
    let spec;
    try {
        spec = parseStackConfig(pulumi.runtime.allConfig(), source);
    } catch (error) {
        // RunError prints just the message: the stack file, key, value and what is allowed.
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
    for (const warning of spec.warnings) pulumi.log.warn(warning);
    // After a rename, the previous name is an alias: every resource keeps its URN, so nothing is replaced.
    const renamed = spec.service.renamedFrom ? { aliases: [{ name: spec.service.renamedFrom }] } : {};
    const service = new ModelService(spec.service.name, { service: spec.service, platform: spec.platform }, renamed);
    // Outputs a backend does not have are left out rather than exported as undefined (which Pulumi warns about).
    return {
        url: service.url,
        ...(service.overflowUrl ? { overflowUrl: service.overflowUrl } : {}),
        ...(service.kubeconfig ? { kubeconfig: service.kubeconfig } : {}),
        image: service.image,
        backend: service.backend,
        region: service.region,
        modelVersion: service.modelVersion,
        ...(service.canary ? { canary: service.canary } : {}),
        resourceNames: service.resourceNames,
    };
}
