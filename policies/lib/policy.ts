import { ResourceValidation, ResourceValidationArgs, ReportViolation, UnknownValueError } from "@pulumi/policy";
import { notePreviewUnknown } from "./preview";

/**
 * A resource validation that only looks at the given types and tells the engine it is not applicable to the
 * rest, the way `validateResourceOfType` does for a single SDK class (these policies match type tokens so the
 * pack does not load the provider SDKs). A value unknown at preview is not reported by each policy that
 * meets it: it is noted, and `preview-unknowns` says so once per resource.
 */
export function forTypes(
    policyName: string,
    types: readonly string[],
    validate: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
    return (args, reportViolation) => {
        if (!types.includes(args.type)) return args.notApplicable(`applies to ${types.join(", ")}`);
        try {
            validate(args, reportViolation);
        } catch (error) {
            if (!(error instanceof UnknownValueError)) throw error;
            notePreviewUnknown(args.urn, policyName, (error as UnknownValueError).props.join("."));
        }
    };
}

/** The name a violation uses for a resource: `kubernetes:apps/v1:Deployment "inference"`. */
export function describe(args: { type: string; name: string }): string {
    return `${args.type} "${args.name}"`;
}

/**
 * A violation as a reviewer reads it: what was found, what the rule requires, and the change that satisfies the
 * rule (never a way around it).
 */
export function finding(found: string, required: string, fix: string): string {
    return `${found}. Required: ${required}. Fix: ${fix}.`;
}
