import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { describe, finding } from "../lib/policy";
import { knownStrings, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

const isS3Bucket = (r: PolicyResource) => (t.S3_BUCKET_TYPES as readonly string[]).includes(r.type);
const isGcsBucket = (r: PolicyResource) => r.type === t.GCS_BUCKET;

/**
 * Whether a companion resource (public access block, encryption configuration, ACL, IAM member) targets a
 * bucket: through the dependency the engine records on its `bucket` property, or by the bucket's name.
 */
export function targetsBucket(companion: PolicyResource, bucket: PolicyResource): boolean {
    if ((companion.propertyDependencies.bucket ?? []).some((d) => d.urn === bucket.urn)) return true;
    const target = readKnown(() => companion.props.bucket);
    const name = readKnown(() => bucket.props.bucket ?? bucket.props.name);
    return target.known && name.known && target.value !== undefined && target.value === name.value;
}

/** What keeps an S3 bucket from being private: a public canned ACL, or no public access block with all four flags. */
export function s3PrivacyProblems(bucket: PolicyResource, resources: PolicyResource[]): string[] {
    const problems: string[] = [];
    const acls = [bucket.props.acl, ...resources.filter((r) => (t.S3_ACL_TYPES as readonly string[]).includes(r.type) && targetsBucket(r, bucket)).map((r) => r.props.acl)];
    for (const acl of acls) if (typeof acl === "string" && PUBLIC_ACLS.includes(acl)) problems.push(`canned ACL "${acl}" makes it public`);
    const blocks = resources.filter((r) => r.type === t.S3_PUBLIC_ACCESS_BLOCK && targetsBucket(r, bucket));
    if (blocks.length === 0) problems.push("no BucketPublicAccessBlock targets it");
    for (const block of blocks) {
        const off = BLOCK_FLAGS.filter((flag) => block.props[flag] !== true);
        if (off.length > 0) problems.push(`${describe(block)} leaves ${off.join(", ")} unset or false`);
    }
    return problems;
}

/** What keeps a GCS bucket from being private: public access prevention not enforced, per-object ACLs, or a public IAM grant. */
export function gcsPrivacyProblems(bucket: PolicyResource, resources: PolicyResource[]): string[] {
    const problems: string[] = [];
    if (bucket.props.publicAccessPrevention !== "enforced") problems.push(`publicAccessPrevention is "${String(bucket.props.publicAccessPrevention ?? "inherited")}", not "enforced"`);
    if (bucket.props.uniformBucketLevelAccess !== true) problems.push("uniformBucketLevelAccess is not true, so object ACLs can make objects public");
    for (const grant of resources.filter((r) => (t.GCS_IAM_TYPES as readonly string[]).includes(r.type) && targetsBucket(r, bucket))) {
        const members = [...knownStrings(() => grant.props.member), ...knownStrings(() => grant.props.members)];
        const open = members.filter((m) => PUBLIC_MEMBERS.includes(m));
        if (open.length > 0) problems.push(`${describe(grant)} grants ${String(grant.props.role)} to ${open.join(", ")}`);
    }
    return problems;
}

export const bucketPrivate: StackValidationPolicy = {
    name: "bucket-private",
    description: "Model buckets are private: S3 buckets have a full public access block and no public ACL; GCS buckets enforce public access prevention and uniform access, with no allUsers grant.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicBuckets: { type: "array", items: { type: "string" }, default: [], description: "Logical names of buckets allowed to be public." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { publicBuckets } = args.getConfig<{ publicBuckets: string[] }>();
        const buckets = args.resources.filter((r) => (isS3Bucket(r) || isGcsBucket(r)) && !publicBuckets.includes(r.name));
        if (buckets.length === 0) return args.notApplicable("the stack has no bucket that must be private");
        for (const bucket of buckets) {
            const problems = isS3Bucket(bucket) ? s3PrivacyProblems(bucket, args.resources) : gcsPrivacyProblems(bucket, args.resources);
            const [required, fix] = isS3Bucket(bucket)
                ? ["a BucketPublicAccessBlock with all four flags true and no public canned ACL",
                    "add a BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true, and remove the public ACL; give readers access through IAM"]
                : ["publicAccessPrevention \"enforced\", uniformBucketLevelAccess true, no allUsers/allAuthenticatedUsers member",
                    "set publicAccessPrevention \"enforced\" and uniformBucketLevelAccess true, and grant readers by name (service accounts, groups) instead of allUsers"];
            if (problems.length > 0) reportViolation(finding(`${describe(bucket)} is not private: ${problems.join("; ")}`, required, fix), bucket.urn);
        }
    },
};

/** The SSE algorithms an S3 bucket declares, inline or through encryption configuration resources. */
function s3Algorithms(bucket: PolicyResource, resources: PolicyResource[]): unknown[] {
    const configs = [bucket.props.serverSideEncryptionConfiguration,
        ...resources.filter((r) => (t.S3_ENCRYPTION_TYPES as readonly string[]).includes(r.type) && targetsBucket(r, bucket)).map((r) => r.props)];
    return configs.flatMap((config) => {
        const rules = objectAt(config)?.rules ?? objectAt(config)?.rule;
        return (Array.isArray(rules) ? rules : [rules]).map((rule) => objectAt(objectAt(rule)?.applyServerSideEncryptionByDefault)?.sseAlgorithm).filter((a) => a !== undefined);
    });
}

export const bucketEncrypted: StackValidationPolicy = {
    name: "bucket-encrypted",
    description: "Model buckets declare encryption at rest: S3 buckets an explicit server-side encryption configuration (KMS when required); GCS buckets a customer-managed key when required.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireKms: { type: "boolean", default: false, description: "Require a KMS key (aws:kms / Cloud KMS) instead of provider-managed keys." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { requireKms } = args.getConfig<{ requireKms: boolean }>();
        const buckets = args.resources.filter((r) => isS3Bucket(r) || isGcsBucket(r));
        if (buckets.length === 0) return args.notApplicable("the stack has no bucket");
        for (const bucket of buckets) {
            if (isS3Bucket(bucket)) {
                const algorithms = s3Algorithms(bucket, args.resources);
                const allowed = requireKms ? "aws:kms" : "AES256 or aws:kms";
                if (algorithms.length === 0) {
                    reportViolation(finding(`${describe(bucket)} declares no server-side encryption configuration`, `an explicit ${allowed} default encryption`,
                        `add a BucketServerSideEncryptionConfiguration with sseAlgorithm ${requireKms ? "aws:kms" : "AES256 or aws:kms"}`), bucket.urn);
                } else if (requireKms && !algorithms.every((a) => typeof a === "string" && a.startsWith("aws:kms"))) {
                    reportViolation(finding(`${describe(bucket)} encrypts with ${algorithms.join(", ")}`, "aws:kms default encryption", "set sseAlgorithm aws:kms (with a KMS key the stack manages, or the aws/s3 key)"), bucket.urn);
                }
            } else if (requireKms && readKnown(() => objectAt(bucket.props.encryption)?.defaultKmsKeyName).known && typeof objectAt(bucket.props.encryption)?.defaultKmsKeyName !== "string") {
                reportViolation(finding(`${describe(bucket)} has no encryption.defaultKmsKeyName, so Google-managed keys encrypt it`, "a Cloud KMS key",
                    "set encryption.defaultKmsKeyName to a Cloud KMS key in the bucket's region"), bucket.urn);
            }
        }
    },
};
