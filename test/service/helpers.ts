import type { Context } from "aws-lambda";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../services/inference/src/app";
import { DEFAULT_CONFIG, type ServiceConfig } from "../../services/inference/src/config";
import { writeLinearModelDir } from "./fixtures/linear-model";

/** A property inside every fixture feature range, and the body /predict takes for it. */
export const EXAMPLE_PROPERTY = { square_feet: 2000, bedrooms: 3, bathrooms: 2, location_score: 7, market_trend: 0.1 };
export const EXAMPLE_ROW = [2000, 3, 2, 7, 0.1];

/**
 * An app on the linear fixture model with a real onnxruntime session, loaded and quiet. The event-loop
 * guard is off unless asked for: mocha's own synchronous work in this process would trip it.
 */
export async function buildTestApp(overrides: Partial<ServiceConfig> = {}): Promise<FastifyInstance> {
    const config: ServiceConfig = { ...DEFAULT_CONFIG, modelDir: writeLinearModelDir(), logLevel: "silent", maxEventLoopDelayMs: 0, ...overrides };
    const app = await buildApp({ config });
    await app.serving.loaded;
    return app;
}

/** Parses a Prometheus text exposition into `name{labels}` → value for the samples named. */
export function metricValue(text: string, name: string): number {
    const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    if (line === undefined) throw new Error(`metric ${name} not found`);
    return Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** A Lambda invocation context as the runtime passes one, with the given request id. */
export function lambdaContext(awsRequestId: string): Context {
    return {
        awsRequestId,
        functionName: "inference",
        functionVersion: "$LATEST",
        invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:inference",
        memoryLimitInMB: "1024",
        logGroupName: "/aws/lambda/inference",
        logStreamName: "2026/11/29/[$LATEST]abc",
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => 30000,
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
    };
}
