import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, physicalName, stackSlug } from "../naming";
import { lambdaMemoryMb } from "../sizing";
import type { ServiceSpec } from "../spec";
import { policyDocument } from "./aws-artifacts";
import { observeLambda } from "../observability/resources";
import { lambdaAliasTarget, lambdaServedSpec } from "../rollout/lambda";
import { serviceEnvironment } from "./environment";
import { LambdaSecrets, SECRETS_ARN_ENV } from "./secrets";

/** Arguments of {@link LambdaService}. */
export interface LambdaServiceArgs {
    /** The cloud-independent service. */
    service: ServiceSpec;
    /** AWS region of every regional resource. */
    region: string;
    /** Lambda container image in ECR (built from services/inference/Dockerfile.lambda). */
    imageUri: pulumi.Input<string>;
    /** IAM policy JSON granting read of the model bucket. */
    modelReadPolicy: pulumi.Input<string>;
    /** Instruction set the image was built for. */
    architecture: "x86_64" | "arm64";
    /** Front door: a Function URL or an API Gateway HTTP API. */
    endpoint: "function-url" | "http-api";
    /** CloudWatch log retention in days. */
    logRetentionDays: number;
    /** Stack: function and role names carry it (stacks may share an account and region). */
    stack: string;
    /** "overflow" for a hybrid's copy, so its names differ from a lambda stack's. */
    role?: string;
}

/**
 * The service as an AWS Lambda container function:
 *
 *   caller ─(SigV4 unless public)→ Function URL | HTTP API ─→ alias "live" (provisioned concurrency) ─→ function version
 *                                                                  role: basic execution + model bucket read; logs → log group
 */
export class LambdaService extends pulumi.ComponentResource {
    /** HTTPS endpoint of the service. */
    public readonly url: pulumi.Output<string>;
    /** The function. */
    public readonly function: aws.lambda.Function;
    /** The alias callers reach. */
    public readonly alias: aws.lambda.Alias;

    constructor(name: string, args: LambdaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:lambda:Service", name, {}, opts);
        const { service, region } = args;
        const tags = { service: service.name };
        const physical = [service.name, stackSlug(args.stack), ...(args.role ? [args.role] : [])];

        const role = new aws.iam.Role(`${name}-role`, {
            name: physicalName(physical, NAME_LIMITS.iamRole),
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, { parent: this });
        const basicExecution = new aws.iam.RolePolicyAttachment(`${name}-basic-execution`, {
            role: role.name,
            policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
        }, { parent: this });
        const modelRead = new aws.iam.RolePolicy(`${name}-model-read`, { role: role.id, policy: args.modelReadPolicy }, { parent: this });
        const secrets = service.secretEnv.length > 0
            ? new LambdaSecrets(`${name}-secrets`, { service: service.name, stack: args.stack, region, names: service.secretEnv, retain: service.deletionPolicy === "retain" }, { parent: this })
            : undefined;
        const secretsRead = secrets
            ? [new aws.iam.RolePolicy(`${name}-secrets-read`, {
                role: role.id, policy: secrets.readStatements.apply((statements) => policyDocument([statements])),
            }, { parent: this })]
            : [];

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/aws/lambda/model-serving/${args.stack}/${service.name}${args.role ? `-${args.role}` : ""}`,
            retentionInDays: args.logRetentionDays,
            region,
            tags,
        }, { parent: this });

        this.function = new aws.lambda.Function(`${name}-function`, {
            name: physicalName(physical, NAME_LIMITS.lambdaFunction),
            packageType: "Image",
            imageUri: args.imageUri,
            role: role.arn,
            architectures: [args.architecture],
            memorySize: lambdaMemoryMb(service.cpu, service.memory),
            timeout: service.requestTimeoutSeconds,
            reservedConcurrentExecutions: service.scaling.max,
            publish: true,
            environment: { variables: { ...serviceEnvironment(lambdaServedSpec(service)), ...(secrets ? { [SECRETS_ARN_ENV]: secrets.arn } : {}) } },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            region,
            tags,
        }, { parent: this, dependsOn: [basicExecution, modelRead, ...secretsRead] });

        this.alias = new aws.lambda.Alias(`${name}-live`, {
            name: "live",
            functionName: this.function.name,
            // With a canary: the stable version as primary, the canary's (this update's) weighted (components/rollout/).
            ...lambdaAliasTarget(service, this.function, "live", region, this),
            region,
        }, { parent: this });

        // With a scaling schedule, Application Auto Scaling owns provisioned concurrency (components/schedule/lambda.ts).
        if (service.scaling.min > 0 && !service.scaling.schedule) {
            // Warm environments for the baseline so the first requests do not pay the model-load cold start.
            new aws.lambda.ProvisionedConcurrencyConfig(`${name}-warm`, {
                functionName: this.function.name,
                qualifier: this.alias.name,
                provisionedConcurrentExecutions: service.scaling.min,
                region,
            }, { parent: this });
        }

        this.url = args.endpoint === "function-url" ? this.functionUrl(name, args) : this.httpApi(name, args);
        // Alarms and dashboard on the alias and the canary version (a hybrid's overflow is watched through its pods).
        if (!args.role) observeLambda(name, service, { functionName: this.function.name, canaryVersion: this.function.version, region, endpoint: args.endpoint }, { parent: this });
        this.registerOutputs({ url: this.url, functionName: this.function.name });
    }

    private functionUrl(name: string, args: LambdaServiceArgs): pulumi.Output<string> {
        const isPublic = args.service.exposure === "public";
        const url = new aws.lambda.FunctionUrl(`${name}-url`, {
            functionName: this.function.name,
            qualifier: this.alias.name,
            authorizationType: isPublic ? "NONE" : "AWS_IAM",
            region: args.region,
        }, { parent: this });
        if (isPublic) {
            // Since 2025 a public Function URL needs both permissions: the URL action and the invoke it performs.
            new aws.lambda.Permission(`${name}-public-url`, {
                function: this.function.name,
                qualifier: this.alias.name,
                action: "lambda:InvokeFunctionUrl",
                principal: "*",
                functionUrlAuthType: "NONE",
                region: args.region,
            }, { parent: this });
            new aws.lambda.Permission(`${name}-public-invoke`, {
                function: this.function.name,
                qualifier: this.alias.name,
                action: "lambda:InvokeFunction",
                principal: "*",
                invokedViaFunctionUrl: true,
                region: args.region,
            }, { parent: this });
        }
        return url.functionUrl;
    }

    private httpApi(name: string, args: LambdaServiceArgs): pulumi.Output<string> {
        const region = args.region;
        const api = new aws.apigatewayv2.Api(`${name}-api`, { protocolType: "HTTP", region, tags: { service: args.service.name } }, { parent: this });
        const integration = new aws.apigatewayv2.Integration(`${name}-integration`, {
            apiId: api.id,
            integrationType: "AWS_PROXY",
            integrationUri: this.alias.invokeArn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: Math.min(30000, args.service.requestTimeoutSeconds * 1000),
            region,
        }, { parent: this });
        new aws.apigatewayv2.Route(`${name}-route`, {
            apiId: api.id,
            routeKey: "$default",
            target: pulumi.interpolate`integrations/${integration.id}`,
            authorizationType: args.service.exposure === "public" ? "NONE" : "AWS_IAM",
            region,
        }, { parent: this });
        new aws.apigatewayv2.Stage(`${name}-stage`, { apiId: api.id, name: "$default", autoDeploy: true, region }, { parent: this });
        new aws.lambda.Permission(`${name}-api-invoke`, {
            function: this.function.name,
            qualifier: this.alias.name,
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
            region,
        }, { parent: this });
        return api.apiEndpoint;
    }
}
