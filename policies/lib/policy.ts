import { ResourceValidation, ResourceValidationArgs, ReportViolation } from "@pulumi/policy";

/**
 * A resource validation that only looks at the given types and tells the engine it is not applicable to the
 * rest, the way `validateResourceOfType` does for a single SDK class (these policies match type tokens so the
 * pack does not load the provider SDKs).
 */
export function forTypes(
    types: readonly string[],
    validate: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
    return (args, reportViolation) => {
        if (!types.includes(args.type)) return args.notApplicable(`applies to ${types.join(", ")}`);
        validate(args, reportViolation);
    };
}

/** The name a violation uses for a resource: "kubernetes:apps/v1:Deployment inference". */
export function describe(args: { type: string; name: string }): string {
    return `${args.type} "${args.name}"`;
}
