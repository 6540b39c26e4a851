import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, describe } from "../lib/policy";
import { LAMBDA_FUNCTION } from "../lib/types";

export interface LambdaBounds {
    maxMemorySize: number;
    maxTimeout: number;
    maxReservedConcurrentExecutions: number;
}

/** AWS's own defaults when a property is left out: 128 MB and 3 seconds. */
const AWS_DEFAULT_MEMORY_SIZE = 128;
const AWS_DEFAULT_TIMEOUT = 3;

/**
 * What is wrong with a Lambda function's sizing. reservedConcurrentExecutions must be a positive number: the
 * provider's default -1 leaves the function able to take the whole account's concurrency, and 0 disables it.
 */
export function lambdaProblems(props: Record<string, unknown>, bounds: LambdaBounds): string[] {
    const memorySize = props.memorySize ?? AWS_DEFAULT_MEMORY_SIZE;
    const timeout = props.timeout ?? AWS_DEFAULT_TIMEOUT;
    const reserved = props.reservedConcurrentExecutions;
    const problems: string[] = [];
    if (typeof memorySize !== "number" || memorySize < 128 || memorySize > bounds.maxMemorySize) {
        problems.push(`memorySize ${String(memorySize)} MB is outside 128..${bounds.maxMemorySize} MB`);
    }
    if (typeof timeout !== "number" || timeout < 1 || timeout > bounds.maxTimeout) {
        problems.push(`timeout ${String(timeout)} s is outside 1..${bounds.maxTimeout} s`);
    }
    if (reserved === undefined || reserved === -1) {
        problems.push("reservedConcurrentExecutions is not set (the function could take the account's whole concurrency)");
    } else if (typeof reserved !== "number" || reserved < 1 || reserved > bounds.maxReservedConcurrentExecutions) {
        problems.push(`reservedConcurrentExecutions ${String(reserved)} is outside 1..${bounds.maxReservedConcurrentExecutions}`);
    }
    return problems;
}

export const lambdaLimits: ResourceValidationPolicy = {
    name: "lambda-limits",
    description: "Lambda functions keep memorySize and timeout within the configured bounds and set reservedConcurrentExecutions.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMemorySize: { type: "integer", minimum: 128, maximum: 10240, default: 3008, description: "Largest memorySize in MB." },
            maxTimeout: { type: "integer", minimum: 1, maximum: 900, default: 60, description: "Largest timeout in seconds." },
            maxReservedConcurrentExecutions: { type: "integer", minimum: 1, default: 100, description: "Largest reservedConcurrentExecutions." },
        },
    },
    validateResource: forTypes([LAMBDA_FUNCTION], (args, reportViolation) => {
        const problems = lambdaProblems(args.props, args.getConfig<LambdaBounds>());
        if (problems.length > 0) reportViolation(`${describe(args)}: ${problems.join("; ")}.`);
    }),
};
