/** Pulumi type tokens of every resource the policies look at (checked against the installed providers). */

export const K8S_WORKLOAD_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
] as const;
export const K8S_HPA_TYPES = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"] as const;
export const K8S_SERVICE = "kubernetes:core/v1:Service";

export const AWS_PROVIDER = "pulumi:providers:aws";
export const GCP_PROVIDER = "pulumi:providers:gcp";

export const S3_BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;
export const S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const S3_ACL_TYPES = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"] as const;
export const S3_ENCRYPTION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
] as const;
export const S3_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const ECR_REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const LAMBDA_FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";

export const GKE_CLUSTER = "gcp:container/cluster:Cluster";
export const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";
export const CLOUD_RUN_SERVICE = "gcp:cloudrunv2/service:Service";
export const CLOUD_RUN_IAM_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
export const CLOUD_RUN_IAM_BINDING = "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding";
export const CLOUD_RUN_IAM_POLICY = "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy";
export const GCS_BUCKET = "gcp:storage/bucket:Bucket";
export const GCS_IAM_TYPES = ["gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding"] as const;
export const ARTIFACT_REGISTRY_REPOSITORY = "gcp:artifactregistry/repository:Repository";
