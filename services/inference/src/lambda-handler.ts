import { STATUS_CODES } from "node:http";
import awsLambdaFastify from "@fastify/aws-lambda";
import type { Context } from "aws-lambda";
import type { DestinationStream } from "pino";
import { buildApp } from "./app";
import { parseConfig } from "./config";
import { loadSecretEnv } from "./secrets";

/**
 * Any HTTP front door's event: API Gateway REST (v1) and HTTP API (v2), a Function URL (v2 shape), or an ALB
 * target group with or without multi-value headers.
 */
export type HttpEvent = Record<string, unknown>;
export interface LambdaResponse {
    statusCode: number;
    /** Absent only for an ALB with multi-value headers, which reads `multiValueHeaders` instead. */
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    /** ALB's status line text. */
    statusDescription?: string;
    body: string;
    isBase64Encoded?: boolean;
    cookies?: string[];
}
export type LambdaHandler = (event: HttpEvent, context: Context) => Promise<LambdaResponse>;

export interface LambdaHandlerOptions {
    env: NodeJS.ProcessEnv;
    /** Where JSON log lines go; stdout (CloudWatch) by default. */
    logStream?: DestinationStream;
}

type FrontDoor = "alb" | "alb-multi-value" | "api-gateway";

/** Which front door sent an event: an ALB's carries requestContext.elb, with multiValueHeaders when that option is on. */
export function frontDoorOf(event: HttpEvent): FrontDoor {
    const context = event.requestContext as Record<string, unknown> | undefined;
    if (context?.elb === undefined) return "api-gateway";
    return event.multiValueHeaders !== undefined && event.multiValueHeaders !== null ? "alb-multi-value" : "alb";
}

/**
 * Starts loading the model now, in the Lambda init phase, and returns a handler that reuses it. Every
 * log line of an invocation carries `cold` (first invocation of this execution environment) and the
 * AWS request id. Rejects if the model cannot load or the SECRETS_ARN secret cannot be read, so the entry point can
 * fail the init phase.
 */
export async function createLambdaHandler({ env, logStream }: LambdaHandlerOptions): Promise<LambdaHandler> {
    // SECRETS_ARN's variables join the environment before anything reads it; a secret that cannot be read rejects.
    const secrets = await loadSecretEnv(env);
    // One request at a time per environment, and frozen between invocations: event-loop delay means nothing here.
    const config = { ...parseConfig(env), maxEventLoopDelayMs: 0 };
    let invocation: { cold: boolean; awsRequestId?: string } = { cold: true };
    const app = await buildApp({
        config,
        logger: { level: config.logLevel, ...(logStream ? { stream: logStream } : {}) },
        logBindings: () => ({ ...invocation }),
    });
    if (secrets) app.log.info({ secretsArn: secrets.arn, variables: secrets.loaded, keptFromEnvironment: secrets.kept }, "secret environment loaded");
    await app.serving.loaded;
    const options = { decorateRequest: false, callbackWaitsForEmptyEventLoop: false, payloadAsStream: false } as const;
    type Options = typeof options & { albMultiValueHeaders?: boolean };
    // An ALB with multi-value headers sends only multiValueHeaders and reads only multiValueHeaders back; API Gateway
    // (v1 sends both maps) and payload 2.0 (no multi-value map at all) take the plain proxy.
    const plain = awsLambdaFastify<HttpEvent, Options, LambdaResponse>(app, options);
    const proxies = {
        "api-gateway": plain,
        alb: plain,
        "alb-multi-value": awsLambdaFastify<HttpEvent, Options, LambdaResponse>(app, { ...options, albMultiValueHeaders: true }),
    };
    await app.ready();
    let invocations = 0;
    return async (event, context) => {
        invocations += 1;
        // Lambda runs one invocation at a time per environment, so a module-level binding is safe.
        invocation = { cold: invocations === 1, awsRequestId: context.awsRequestId };
        const door = frontDoorOf(event);
        const response = await proxies[door](event, context);
        if (door === "api-gateway") return response;
        const answer: LambdaResponse = { ...response, statusDescription: `${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ""}`.trim() };
        if (door === "alb-multi-value") delete answer.headers;
        return answer;
    };
}
