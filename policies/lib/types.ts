/** Pulumi type tokens of every resource the policies look at (checked against the installed providers). */

/** Every Kubernetes kind that runs pods: a patch of one can add a container or a privilege as well as the object itself. */
export const K8S_WORKLOAD_OBJECT_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:ReplicationController",
] as const;
export const K8S_WORKLOAD_PATCH_TYPES = K8S_WORKLOAD_OBJECT_TYPES.map((type) => `${type}Patch`);
export const K8S_WORKLOAD_TYPES: readonly string[] = [...K8S_WORKLOAD_OBJECT_TYPES, ...K8S_WORKLOAD_PATCH_TYPES];
/** Workloads whose spec.replicas sets a replica count (DaemonSets run one per node, Jobs use parallelism). */
export const K8S_REPLICATED_TYPES: readonly string[] = ["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"]
    .flatMap((kind) => K8S_WORKLOAD_TYPES.filter((type) => type.endsWith(`:${kind}`) || type.endsWith(`:${kind}Patch`)));
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
export const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
export const LAMBDA_PROVISIONED_CONCURRENCY = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const API_GATEWAY_V2_ROUTE = "aws:apigatewayv2/route:Route";
export const API_GATEWAY_METHOD = "aws:apigateway/method:Method";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const DYNAMODB_GLOBAL_TABLE = "aws:dynamodb/globalTable:GlobalTable";
export const BACKUP_PLAN = "aws:backup/plan:Plan";
export const SECRETSMANAGER_SECRET = "aws:secretsmanager/secret:Secret";

export const GKE_CLUSTER = "gcp:container/cluster:Cluster";
export const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";
export const CLOUD_RUN_SERVICE = "gcp:cloudrunv2/service:Service";
export const CLOUD_RUN_IAM_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
export const CLOUD_RUN_IAM_BINDING = "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding";
export const CLOUD_RUN_IAM_POLICY = "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy";
export const CLOUD_RUN_V1_SERVICE = "gcp:cloudrun/service:Service";
export const CLOUD_RUN_V1_IAM_MEMBER = "gcp:cloudrun/iamMember:IamMember";
export const CLOUD_RUN_V1_IAM_BINDING = "gcp:cloudrun/iamBinding:IamBinding";
export const CLOUD_RUN_V1_IAM_POLICY = "gcp:cloudrun/iamPolicy:IamPolicy";
export const BIGQUERY_DATASET = "gcp:bigquery/dataset:Dataset";
export const GCS_BUCKET = "gcp:storage/bucket:Bucket";
export const GCS_IAM_TYPES = ["gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding"] as const;
export const ARTIFACT_REGISTRY_REPOSITORY = "gcp:artifactregistry/repository:Repository";
