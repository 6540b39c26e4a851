import awsLambdaFastify from "@fastify/aws-lambda";
import type { Context } from "aws-lambda";
import type { DestinationStream } from "pino";
import { buildApp } from "./app";
import { parseConfig } from "./config";

/** API Gateway HTTP API (payload 2.0) and Lambda Function URL events share one shape. */
export type HttpEventV2 = Record<string, unknown>;
export type LambdaResponse = { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
export type LambdaHandler = (event: HttpEventV2, context: Context) => Promise<LambdaResponse>;

export interface LambdaHandlerOptions {
    env: NodeJS.ProcessEnv;
    /** Where JSON log lines go; stdout (CloudWatch) by default. */
    logStream?: DestinationStream;
}

/**
 * Starts loading the model now, in the Lambda init phase, and returns a handler that reuses it. Every
 * log line of an invocation carries `cold` (first invocation of this execution environment) and the
 * AWS request id. Rejects if the model cannot load, so the entry point can fail the init phase.
 */
export async function createLambdaHandler({ env, logStream }: LambdaHandlerOptions): Promise<LambdaHandler> {
    // One request at a time per environment, and frozen between invocations: event-loop delay means nothing here.
    const config = { ...parseConfig(env), maxEventLoopDelayMs: 0 };
    let invocation: { cold: boolean; awsRequestId?: string } = { cold: true };
    const app = await buildApp({
        config,
        logger: { level: config.logLevel, ...(logStream ? { stream: logStream } : {}) },
        logBindings: () => ({ ...invocation }),
    });
    await app.serving.loaded;
    const proxy = awsLambdaFastify<HttpEventV2>(app, { decorateRequest: false, callbackWaitsForEmptyEventLoop: false });
    await app.ready();
    let invocations = 0;
    return async (event, context) => {
        invocations += 1;
        // Lambda runs one invocation at a time per environment, so a module-level binding is safe.
        invocation = { cold: invocations === 1, awsRequestId: context.awsRequestId };
        return proxy(event, context);
    };
}
