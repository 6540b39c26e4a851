import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketPrefix } from "../naming";

/** Arguments of {@link AwsArtifacts}. */
export interface AwsArtifactsArgs {
    /** Service name: the bucket name prefix and tag. */
    serviceName: string;
    /** ECR repository name (carries the stack: stacks may share an account and region). */
    repositoryName: string;
    /** Region of the repository and bucket (explicit so a reviewer and the policy pack see it in the plan). */
    region: string;
    /**
     * Production intent: keep the registry and the bucket when the stack stops using them (backend switch, destroy).
     * Otherwise they are deleted with their contents, so a switch or destroy completes in one run.
     */
    retain: boolean;
}

/**
 * Where an AWS deployment keeps its bits: an ECR repository for the image and a private, encrypted, versioned S3
 * bucket for model artifacts, both in the stack's region. Shared by the eks and lambda backends.
 */
export class AwsArtifacts extends pulumi.ComponentResource {
    /** ECR repository holding the service image. */
    public readonly repository: aws.ecr.Repository;
    /** S3 bucket holding model artifacts under <model>/<version>/. */
    public readonly modelBucket: aws.s3.Bucket;

    constructor(name: string, args: AwsArtifactsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:aws:Artifacts", name, {}, opts);
        const tags = { service: args.serviceName };
        const region = args.region;
        // retainOnDelete: Pulumi forgets a retained resource instead of deleting it, so the run still completes.
        const keep = { parent: this, retainOnDelete: args.retain };

        this.repository = new aws.ecr.Repository(`${name}-images`, {
            name: args.repositoryName,
            region,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            // KMS with the account's AWS-managed ECR key: auditable use, no key to manage.
            encryptionConfigurations: [{ encryptionType: "KMS" }],
            forceDelete: !args.retain,
            tags,
        }, keep);

        this.modelBucket = new aws.s3.Bucket(`${name}-models`, {
            bucketPrefix: bucketPrefix(args.serviceName, "models"),
            forceDestroy: !args.retain,
            region,
            tags,
        }, keep);
        new aws.s3.BucketPublicAccessBlock(`${name}-models`, {
            bucket: this.modelBucket.id,
            region,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, keep);
        new aws.s3.BucketOwnershipControls(`${name}-models`, {
            bucket: this.modelBucket.id,
            region,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, keep);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-models`, {
            bucket: this.modelBucket.id,
            region,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
        }, keep);
        new aws.s3.BucketVersioning(`${name}-models`, {
            bucket: this.modelBucket.id,
            region,
            versioningConfiguration: { status: "Enabled" },
        }, keep);

        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, modelBucket: this.modelBucket.bucket });
    }

    /** IAM statements (a JSON array) granting read of the model bucket, to merge into a role's policy. */
    public modelReadStatements(): pulumi.Output<string> {
        return this.modelBucket.arn.apply((arn) => JSON.stringify([
            { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${arn}/*` },
            { Effect: "Allow", Action: ["s3:ListBucket"], Resource: arn },
        ]));
    }

    /** IAM policy document granting read of the model bucket, for roles that load models. */
    public modelReadPolicy(): pulumi.Output<string> {
        return this.modelReadStatements().apply((statements) => policyDocument([statements]));
    }
}

/** One IAM policy document from statement arrays (each a JSON array of statements). */
export function policyDocument(statementArrays: readonly string[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statementArrays.flatMap((s) => JSON.parse(s) as unknown[]) });
}
