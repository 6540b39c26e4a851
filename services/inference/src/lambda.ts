// AWS Lambda entry (image CMD `dist/lambda.handler`): API Gateway REST and HTTP API, Function URL and ALB events.
import type { Context } from "aws-lambda";
import pino from "pino";
import { createLambdaHandler, type HttpEvent, type LambdaResponse } from "./lambda-handler";
import { SecretEnvError } from "./secrets";

// Module scope runs in the init phase: the secret environment is read and the model loads once per execution
// environment, then both are reused.
const ready = createLambdaHandler({ env: process.env }).catch((error: unknown) => {
    // Exiting fails the init phase visibly (Runtime.ExitError) instead of answering 500 to every event. A secret
    // that cannot be read is said in one line: its stack would only show the SDK's internals.
    pino({ name: "inference" }).fatal(error instanceof SecretEnvError ? {} : { err: error }, `cannot start: ${(error as Error).message}`);
    process.exit(1);
});

export async function handler(event: HttpEvent, context: Context): Promise<LambdaResponse> {
    return (await ready)(event, context);
}
