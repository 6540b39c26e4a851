import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { LAMBDA_FUNCTION, LAMBDA_PROVISIONED_CONCURRENCY } from "../lib/types";
import { LAMBDA } from "../platform/limits";

export interface LambdaBounds {
    maxMemorySize: number;
    maxTimeout: number;
    maxReservedConcurrentExecutions: number;
    maxProvisionedConcurrentExecutions: number;
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
    if (typeof memorySize !== "number" || memorySize < LAMBDA.memoryMb.min || memorySize > bounds.maxMemorySize) {
        problems.push(`memorySize ${String(memorySize)} MB is outside ${LAMBDA.memoryMb.min}..${bounds.maxMemorySize} MB`);
    }
    if (typeof timeout !== "number" || timeout < 1 || timeout > bounds.maxTimeout) {
        problems.push(`timeout ${String(timeout)} s is outside 1..${bounds.maxTimeout} s`);
    }
    if (reserved === undefined || reserved === -1) {
        problems.push("reservedConcurrentExecutions is not set (the function could take the account's whole concurrency)");
    } else if (typeof reserved !== "number" || reserved < 1) {
        problems.push(`reservedConcurrentExecutions ${String(reserved)} is not a positive number`);
    } else if (reserved > bounds.maxReservedConcurrentExecutions) {
        problems.push(`reservedConcurrentExecutions ${reserved} (the most instances the function may run at once) exceeds the allowed maximum ${bounds.maxReservedConcurrentExecutions}`);
    }
    return problems;
}

/** Why a provisioned concurrency (instances kept warm, billed while idle) is too large, or undefined. */
export function provisionedConcurrencyProblem(props: Record<string, unknown>, bounds: LambdaBounds): string | undefined {
    const provisioned = props.provisionedConcurrentExecutions;
    if (typeof provisioned !== "number" || provisioned < 1) return `provisionedConcurrentExecutions ${JSON.stringify(provisioned)} is not a positive number`;
    if (provisioned > bounds.maxProvisionedConcurrentExecutions) {
        return `provisionedConcurrentExecutions ${provisioned} (instances kept warm and billed while idle) exceeds the allowed maximum ${bounds.maxProvisionedConcurrentExecutions}`;
    }
    return undefined;
}

export const lambdaLimits: ResourceValidationPolicy = {
    name: "lambda-limits",
    description: "Lambda functions keep memorySize, timeout and reservedConcurrentExecutions within the configured bounds; provisioned concurrency stays under its cap.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMemorySize: { type: "integer", minimum: 128, maximum: 10240, default: 3008, description: "Largest memorySize in MB." },
            maxTimeout: { type: "integer", minimum: 1, maximum: 900, default: 60, description: "Largest timeout in seconds." },
            maxReservedConcurrentExecutions: { type: "integer", minimum: 1, default: 100, description: "Largest reservedConcurrentExecutions (the function's concurrency ceiling)." },
            maxProvisionedConcurrentExecutions: { type: "integer", minimum: 1, default: 10, description: "Largest provisionedConcurrentExecutions (warm instances billed while idle)." },
        },
    },
    validateResource: forTypes("lambda-limits", [LAMBDA_FUNCTION, LAMBDA_PROVISIONED_CONCURRENCY], (args, reportViolation) => {
        const bounds = args.getConfig<LambdaBounds>();
        if (args.type === LAMBDA_PROVISIONED_CONCURRENCY) {
            const problem = provisionedConcurrencyProblem(args.props, bounds);
            if (problem) {
                reportViolation(finding(`${describe(args)}: ${problem}`, `1..${bounds.maxProvisionedConcurrentExecutions} provisioned executions`,
                    "keep fewer instances warm (on the ModelService, a lower minReplicas) and let on-demand concurrency take the peaks"));
            }
            return;
        }
        const problems = lambdaProblems(args.props, bounds);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`,
                `memorySize ≤ ${bounds.maxMemorySize} MB, timeout ≤ ${bounds.maxTimeout} s, reservedConcurrentExecutions 1..${bounds.maxReservedConcurrentExecutions}`,
                "size the function within the bounds (on the ModelService: cpu/memory, requestTimeoutSeconds, and maxReplicas for the reserved concurrency)"));
        }
    }),
};
