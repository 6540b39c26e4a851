import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describeResidency } from "../platform/regions";
import { describe } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";
import { placementsOf } from "./locations";
import { ResidencyConfig, residencyConfigSchema, residencyFrom, residencyProblem } from "./residency";

export const dataResidency: ResourceValidationPolicy = {
    name: "data-residency",
    description: "Providers and every located resource (S3, ECR, EKS, Lambda, any per-resource AWS region; GKE, Cloud Run, GCS, Artifact Registry) stay inside the configured residency.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args, reportViolation) => {
        const residency = residencyFrom(args.getConfig<ResidencyConfig>());
        const placements = placementsOf(args);
        if (placements.length === 0) return args.notApplicable("the resource has no location of its own");
        for (const placement of placements) {
            if ("unknown" in placement) {
                reportViolation(`${describe(args)} ${placement.where}: ${placement.unknown}; a located resource must name its location so residency ${describeResidency(residency)} can be checked.`);
                continue;
            }
            const problem = residencyProblem(placement.location, residency);
            if (problem) reportViolation(`${describe(args)} ${placement.where} ${problem}.`);
        }
    },
};

/** The region a managed S3 bucket lives in, as `placementsOf` resolves it. */
function bucketRegion(bucket: PolicyResource): { location: string } | { unknown: string } {
    const placement = placementsOf(bucket)[0];
    return placement ?? { unknown: "the bucket has no region" };
}

/** The bucket name in an S3 bucket ARN ("arn:aws:s3:::models" → "models"). */
export function bucketNameFromArn(arn: string): string {
    return arn.startsWith("arn:") ? arn.split(":").slice(5).join(":") : arn;
}

export const replicationResidency: StackValidationPolicy = {
    name: "replication-residency",
    description: "S3 and ECR replication targets stay inside the configured residency; an S3 target bucket this stack does not manage cannot be located and is reported.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, reportViolation) => {
        const residency = residencyFrom(args.getConfig<ResidencyConfig>());
        const buckets = args.resources.filter((r) => (t.S3_BUCKET_TYPES as readonly string[]).includes(r.type));
        const checkBucketTarget = (source: PolicyResource, where: string, read: () => unknown) => {
            const arn = readKnown(read);
            if (!arn.known) {
                reportViolation(`${describe(source)} ${where}: the destination bucket cannot be known at preview (${arn.path} is computed); residency ${describeResidency(residency)} cannot be checked.`, source.urn);
                return;
            }
            const name = bucketNameFromArn(String(arn.value));
            const target = buckets.find((b) => readKnown(() => b.props.bucket).known && b.props.bucket === name);
            if (!target) {
                reportViolation(`${describe(source)} ${where}: destination bucket "${name}" is not managed by this stack, so its region cannot be known; manage it here or drop the rule.`, source.urn);
                return;
            }
            const region = bucketRegion(target);
            if ("unknown" in region) reportViolation(`${describe(source)} ${where}: destination ${describe(target)}: ${region.unknown}.`, source.urn);
            else {
                const problem = residencyProblem(region.location, residency);
                if (problem) reportViolation(`${describe(source)} ${where}: destination ${describe(target)} ${problem}.`, source.urn);
            }
        };
        let checked = 0;
        for (const resource of args.resources) {
            const rulesOf = (config: unknown) => arrayAt(objectAt(config)?.rules);
            if (resource.type === t.S3_REPLICATION || (t.S3_BUCKET_TYPES as readonly string[]).includes(resource.type)) {
                const rules = resource.type === t.S3_REPLICATION ? rulesOf(resource.props) : rulesOf(resource.props.replicationConfiguration);
                rules.forEach((rule, i) => {
                    checked++;
                    checkBucketTarget(resource, `rules[${i}].destination.bucket`, () => objectAt(objectAt(rule)?.destination)?.bucket);
                });
            }
            if (resource.type === t.ECR_REPLICATION) {
                rulesOf(resource.props.replicationConfiguration).forEach((rule, i) => {
                    arrayAt(objectAt(rule)?.destinations).forEach((destination, j) => {
                        checked++;
                        const region = readKnown(() => objectAt(destination)?.region);
                        const where = `replicationConfiguration.rules[${i}].destinations[${j}].region`;
                        if (!region.known || typeof region.value !== "string") {
                            reportViolation(`${describe(resource)} ${where} cannot be known at preview.`, resource.urn);
                        } else {
                            const problem = residencyProblem(region.value, residency);
                            if (problem) reportViolation(`${describe(resource)} ${where} ${problem}.`, resource.urn);
                        }
                    });
                });
            }
        }
        if (checked === 0) args.notApplicable("the stack replicates no S3 bucket or ECR repository");
    },
};
