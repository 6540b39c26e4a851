import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { readKnown } from "../lib/props";
import { CLOUD_SCHEDULER_JOB } from "../limits/schedule";
import { ResidencyConfig, residencyConfigSchema, residencyFix, residencyFrom, residencyProblem, residencyRequirement } from "./residency";

/**
 * Cloud Scheduler jobs hold their request (the service name, the body) in the region they run in, which
 * `data-residency` does not look at: their `region`, else the provider's. AWS scheduled actions carry a
 * `region` property and are already covered by `data-residency`.
 */
export const scheduleResidency: ResourceValidationPolicy = {
    name: "schedule-residency",
    description: "Cloud Scheduler jobs (scheduled scaling) run in a region inside the configured residency.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: forTypes("schedule-residency", [CLOUD_SCHEDULER_JOB], (args, reportViolation) => {
        const residency = residencyFrom(args.getConfig<ResidencyConfig>());
        const own = readKnown(() => args.props.region);
        const region = own.known && typeof own.value === "string" && own.value !== "" ? own : readKnown(() => args.provider?.props.region);
        if (!region.known || typeof region.value !== "string" || region.value === "") {
            reportViolation(finding(`${describe(args)}: neither the job nor its provider names a known region`, residencyRequirement(residency), "set the job's region"));
            return;
        }
        const problem = residencyProblem(region.value, residency);
        if (problem) reportViolation(finding(`${describe(args)} region ${problem}`, residencyRequirement(residency), residencyFix(residency)));
    }),
};
