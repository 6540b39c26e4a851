import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../spec";
import { canaryServiceSpec } from "./canary";
import { lambdaAliasRouting } from "./serverless";

/**
 * A canary on Lambda, with Lambda's own mechanism: the function's configuration is the canary's (its model
 * version), so `pulumi up` publishes it as a new version; the alias `live` keeps the version it pointed at before
 * as its primary (the stable side) and routes canaryPercent / 100 of the invocations to the new one.
 *
 * The stable version is read from the alias as deployed (aws.lambda.getAlias), which is why a canary is started on
 * a stack that has been deployed once, and, on later updates while the canary runs, stays the same version.
 * Promotion (modelVersion = the canary's, canary keys removed) points the alias at the already-published canary
 * version; rollback (canary keys removed) publishes the stable configuration again and points the alias at it.
 */

/** The spec the function is configured with: the canary's while a canary runs. */
export function lambdaServedSpec(service: ServiceSpec): ServiceSpec {
    return service.canary ? canaryServiceSpec(service, service.canary) : service;
}

/** The alias's primary version and routing; without a canary, the function's latest published version alone. */
export function lambdaAliasTarget(
    service: ServiceSpec, fn: aws.lambda.Function, aliasName: string, region: string, parent: pulumi.Resource,
): { functionVersion: pulumi.Input<string>; routingConfig?: pulumi.Input<aws.types.input.lambda.AliasRoutingConfig> } {
    const canary = service.canary;
    if (!canary) return { functionVersion: fn.version };
    const deployed = aws.lambda.getAliasOutput({ functionName: fn.name, name: aliasName, region }, { parent });
    return {
        functionVersion: deployed.functionVersion,
        routingConfig: fn.version.apply((canaryVersion) => lambdaAliasRouting({ percent: canary.percent, canaryVersion })!),
    };
}
