import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS } from "../components/naming";

/** The fake AWS account id used in ARNs; obviously not a real account. */
export const MOCK_ACCOUNT = "123456789012";

/**
 * What the providers would report back for a new resource, so dependent inputs resolve as they would after
 * `pulumi up`. During a preview only the values the engine knows before creating (inputs and auto-names) are
 * returned; everything else stays unknown, as in a real `pulumi preview`.
 */
export function mockResourceState(args: pulumi.runtime.MockResourceArgs, config: Record<string, string>, preview: boolean): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    const suffix = createHash("sha1").update(`${args.type}::${args.name}`).digest("hex").slice(0, 7);
    const physicalName = `${args.name}-${suffix}`;
    const autoNamed = autoName(args.type, inputs, physicalName);
    checkNameLimits(args.type, args.name, { ...inputs, ...autoNamed });
    if (args.type === "pulumi:pulumi:StackReference") {
        return { id: String(inputs.name), state: { name: inputs.name, outputs: stackReferenceOutputs(String(inputs.name)), secretOutputNames: [] } };
    }
    if (preview) return { id: undefined, state: { ...inputs, ...autoNamed } };
    // The image build's digest: a function of what is built, as BuildKit's is of the image's content.
    const digest = `sha256:${createHash("sha256").update(JSON.stringify([args.name, inputs.target, inputs.platforms])).digest("hex")}`;

    const region = config["aws:region"] ?? "us-east-1";
    const named = { ...inputs, ...autoNamed };
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;
    const computed: Record<string, unknown> = (() => {
        switch (args.type) {
            case "aws:ecr/repository:Repository":
                return { arn: arn("ecr", `repository/${named.name}`), repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${named.name}` };
            case "aws:s3/bucket:Bucket":
                return { arn: `arn:aws:s3:::${named.bucket}` };
            case "aws:iam/role:Role":
                return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${named.name}` };
            case "aws:lambda/function:Function":
                return { arn: arn("lambda", `function:${named.name}`), version: "1", invokeArn: `arn:aws:apigateway:${region}:lambda:path/functions/${arn("lambda", `function:${named.name}`)}/invocations` };
            case "aws:lambda/alias:Alias":
                return { arn: arn("lambda", `function:${named.functionName}:${named.name}`), invokeArn: `arn:aws:apigateway:${region}:lambda:path/functions/${arn("lambda", `function:${named.functionName}:${named.name}`)}/invocations` };
            case "aws:lambda/functionUrl:FunctionUrl":
                return { functionUrl: `https://${suffix}mock.lambda-url.${region}.on.aws/` };
            case "aws:apigatewayv2/api:Api":
                return { apiEndpoint: `https://${suffix}.execute-api.${region}.amazonaws.com`, executionArn: arn("execute-api", suffix) };
            case "aws:eks/cluster:Cluster":
                return { arn: arn("eks", `cluster/${named.name}`), endpoint: `https://${suffix}.gr7.${region}.eks.amazonaws.com`, certificateAuthority: { data: "bW9jay1jYQ==" } };
            case "gcp:serviceaccount/account:Account":
                return { email: `${named.accountId}@${named.project ?? config["gcp:project"]}.iam.gserviceaccount.com` };
            case "gcp:cloudrunv2/service:Service":
                return { uri: `https://${named.name}-uc.a.run.app` };
            case "gcp:artifactregistry/repository:Repository":
                return { name: `projects/${named.project}/locations/${named.location}/repositories/${named.repositoryId}` };
            case "gcp:container/cluster:Cluster":
                return {
                    endpoint: "203.0.113.10", masterAuth: { clusterCaCertificate: "bW9jay1jYQ==" },
                    workloadIdentityConfig: { workloadPool: `${named.project ?? config["gcp:project"]}.svc.id.goog` },
                };
            case "docker-build:index:Image":
                return { digest, ref: `${(inputs.exports as { registry?: { names?: string[] } }[] | undefined)?.[0]?.registry?.names?.[0]}@${digest}`, contextHash: digest.slice(7, 71) };
            case "gcp:secretmanager/secretVersion:SecretVersion":
                return { version: "1", name: `${named.secret}/versions/1` };
            case "gcp:secretmanager/secret:Secret":
                return { name: `projects/${named.project}/secrets/${named.secretId}` };
            case "aws:secretsmanager/secret:Secret":
                return { arn: arn("secretsmanager", `secret:${named.name}-AbCdEf`) };
            case "aws:kms/key:Key":
                return { arn: arn("kms", `key/${suffix}`), keyId: suffix };
            case "aws:secretsmanager/secretVersion:SecretVersion":
                return { versionId: `${suffix}-version` };
            default:
                return {};
        }
    })();
    return { id: `${physicalName}-id`, state: { ...named, ...computed } };
}

/**
 * Physical-name limits the providers enforce (API errors on the first real `pulumi up`), applied to what the program
 * sets or the engine would auto-name: a too-long name fails the offline plan and the tests, not the deploy.
 */
const NAME_LIMIT_CHECKS: Record<string, { field: string; limit: keyof typeof NAME_LIMITS; what: string }> = {
    "gcp:container/cluster:Cluster": { field: "name", limit: "gkeCluster", what: "GKE cluster name" },
    "gcp:container/nodePool:NodePool": { field: "name", limit: "gkeNodePool", what: "GKE node pool name" },
    "gcp:cloudrunv2/service:Service": { field: "name", limit: "cloudRunService", what: "Cloud Run service name (fewer than 50)" },
    "aws:s3/bucket:Bucket": { field: "bucketPrefix", limit: "s3BucketPrefix", what: "S3 bucketPrefix" },
    "gcp:storage/bucket:Bucket": { field: "name", limit: "gcsBucket", what: "GCS bucket name" },
    "aws:iam/role:Role": { field: "name", limit: "iamRole", what: "IAM role name" },
    "gcp:serviceaccount/account:Account": { field: "accountId", limit: "serviceAccountId", what: "service account id" },
    "aws:lambda/function:Function": { field: "name", limit: "lambdaFunction", what: "Lambda function name" },
    "aws:eks/cluster:Cluster": { field: "name", limit: "eksCluster", what: "EKS cluster name" },
    "aws:eks/nodeGroup:NodeGroup": { field: "nodeGroupName", limit: "dnsLabel", what: "EKS node group name" },
    "aws:ecr/repository:Repository": { field: "name", limit: "ecrRepository", what: "ECR repository name" },
    "gcp:artifactregistry/repository:Repository": { field: "repositoryId", limit: "artifactRegistryRepository", what: "Artifact Registry repository id" },
    "kubernetes:helm.sh/v3:Release": { field: "name", limit: "helmRelease", what: "Helm release name" },
    "kubernetes:core/v1:Namespace": { field: "metadata.name", limit: "dnsLabel", what: "Kubernetes namespace" },
    "kubernetes:core/v1:ServiceAccount": { field: "metadata.name", limit: "dnsLabel", what: "Kubernetes service account" },
    "kubernetes:core/v1:Service": { field: "metadata.name", limit: "dnsLabel", what: "Kubernetes Service" },
};

/** Throws when a physical name is longer than its API allows (the error the provider would return). */
export function checkNameLimits(type: string, logicalName: string, state: Record<string, unknown>): void {
    const check = NAME_LIMIT_CHECKS[type];
    if (!check) return;
    const value = check.field.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), state);
    const limit = NAME_LIMITS[check.limit];
    if (typeof value === "string" && value.length > limit) {
        throw new Error(`${type} ${logicalName}: ${check.what} "${value}" has ${value.length} characters; the API allows at most ${limit}`);
    }
}

/** The physical name the provider would pick when the program leaves it to auto-naming. */
function autoName(type: string, inputs: Record<string, unknown>, physicalName: string): Record<string, unknown> {
    if (type === "aws:s3/bucket:Bucket") return inputs.bucket ? {} : { bucket: inputs.bucketPrefix ? `${inputs.bucketPrefix}${physicalName.slice(-7)}` : physicalName };
    if (type.startsWith("kubernetes:")) {
        const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
        return metadata.name ? {} : { metadata: { ...metadata, name: physicalName } };
    }
    if (type.startsWith("pulumi:") || type.startsWith("model-serving:") || type.startsWith("docker-build:")) return {};
    if (type === "aws:eks/nodeGroup:NodeGroup") return inputs.nodeGroupName ? {} : { nodeGroupName: physicalName };
    if (type === "gcp:serviceaccount/account:Account" || type === "gcp:artifactregistry/repository:Repository") return {};
    return inputs.name ? {} : { name: physicalName };
}

/** Outputs of a referenced cluster stack: a kubeconfig pointing at a placeholder API server. */
function stackReferenceOutputs(stack: string): Record<string, unknown> {
    return {
        kubeconfig: [
            "apiVersion: v1",
            "kind: Config",
            `clusters: [{name: ${JSON.stringify(stack)}, cluster: {server: "https://cluster.invalid"}}]`,
            `contexts: [{name: mock, context: {cluster: ${JSON.stringify(stack)}, user: mock}}]`,
            "current-context: mock",
            "users: [{name: mock, user: {token: mock}}]",
        ].join("\n"),
    };
}

/** Results of provider functions (invokes) the program calls. */
export function mockCall(args: pulumi.runtime.MockCallArgs, config: Record<string, string>): Record<string, unknown> {
    const region = config["aws:region"] ?? "us-east-1";
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            // Zone IDs as AWS publishes them (us-east-1 → use1-az1…), so the EKS zone filter meets real IDs.
            const [area, direction, number] = region.split("-");
            const prefix = `${area}${direction?.[0] ?? ""}${number ?? ""}`;
            return { names: [`${region}a`, `${region}b`, `${region}c`], zoneIds: [`${prefix}-az1`, `${prefix}-az2`, `${prefix}-az3`], state: "available" };
        }
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return { userName: "AWS", password: "mock-ecr-token", proxyEndpoint: `https://${MOCK_ACCOUNT}.dkr.ecr.${region}.amazonaws.com`, authorizationToken: "QVdTOm1vY2s=", expiresAt: "2099-01-01T00:00:00Z", id: region };
        case "aws:lambda/getAlias:getAlias": {
            // A canary reads the version `live` pointed at before the update: mocked as "41", so a render shows which
            // version of the alias comes from the deployed alias and which from this update's publish ("1").
            const functionName = String(args.inputs.functionName);
            return { functionName, name: args.inputs.name, functionVersion: "41", arn: `arn:aws:lambda:${region}:${MOCK_ACCOUNT}:function:${functionName}:${String(args.inputs.name)}`, id: `${functionName}:${String(args.inputs.name)}` };
        }
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { accessToken: "mock-google-access-token", project: config["gcp:project"], region: config["gcp:region"], id: "client", zone: "" };
        default:
            throw new Error(`plan: no mock for provider function ${args.token}; add one to plan/mocks.ts`);
    }
}
