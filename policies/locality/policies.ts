import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, finding } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";
import { placementsOf } from "./locations";
import { regionsOfLocation, ResidencyConfig, residencyConfigSchema, residencyFix, residencyFrom, residencyProblem, residencyRequirement } from "./residency";

export const dataResidency: ResourceValidationPolicy = {
    name: "data-residency",
    description: "Providers and every located resource stay inside the configured residency: any regional AWS resource (own region, else the provider's; zones; DynamoDB replicas, Backup copy destinations, Secrets Manager replicas) and any GCP resource's location, region, zone and replicas (GKE, Cloud Run v1/v2, GCS, BigQuery, KMS, Artifact Registry, ...).",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args, reportViolation) => {
        const residency = residencyFrom(args.getConfig<ResidencyConfig>());
        const placements = placementsOf(args);
        if (placements.length === 0) return args.notApplicable("the resource has no location of its own");
        // One finding per cause: a subnet's zone in the region already reported for it is the same cause.
        const reported = new Set<string>();
        for (const placement of placements) {
            if ("unknown" in placement) {
                reportViolation(finding(`${describe(args)} ${placement.where}: ${placement.unknown}`, `a located resource names its location; ${residencyRequirement(residency)}`,
                    "set the location explicitly (or on the provider), as a literal rather than a value computed by another resource"));
                continue;
            }
            const problem = residencyProblem(placement.location, residency);
            const regions = regionsOfLocation(placement.location).join(",");
            if (!problem || reported.has(regions)) continue;
            reported.add(regions);
            reportViolation(finding(`${describe(args)} ${placement.where} ${problem}`, residencyRequirement(residency), residencyFix(residency)));
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
                reportViolation(finding(`${describe(source)} ${where}: the destination bucket cannot be known at preview (${arn.path} is computed)`,
                    residencyRequirement(residency), "replicate to a bucket this stack manages, so its region is known"), source.urn);
                return;
            }
            const name = bucketNameFromArn(String(arn.value));
            const target = buckets.find((b) => readKnown(() => b.props.bucket).known && b.props.bucket === name);
            if (!target) {
                reportViolation(finding(`${describe(source)} ${where}: destination bucket "${name}" is not managed by this stack, so its region cannot be known`,
                    residencyRequirement(residency), "declare the destination bucket in this stack (in an allowed region)"), source.urn);
                return;
            }
            const region = bucketRegion(target);
            if ("unknown" in region) {
                reportViolation(finding(`${describe(source)} ${where}: destination ${describe(target)}: ${region.unknown}`, residencyRequirement(residency), "set the destination bucket's region"), source.urn);
            } else {
                const problem = residencyProblem(region.location, residency);
                if (problem) reportViolation(finding(`${describe(source)} ${where}: destination ${describe(target)} ${problem}`, residencyRequirement(residency), residencyFix(residency)), source.urn);
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
                            reportViolation(finding(`${describe(resource)} ${where} cannot be known at preview`, residencyRequirement(residency), "name the destination region literally"), resource.urn);
                        } else {
                            const problem = residencyProblem(region.value, residency);
                            if (problem) reportViolation(finding(`${describe(resource)} ${where} ${problem}`, residencyRequirement(residency), residencyFix(residency)), resource.urn);
                        }
                    });
                });
            }
        }
        if (checked === 0) args.notApplicable("the stack replicates no S3 bucket or ECR repository");
    },
};
