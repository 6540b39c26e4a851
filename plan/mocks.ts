import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

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
    if (args.type === "pulumi:pulumi:StackReference") {
        return { id: String(inputs.name), state: { name: inputs.name, outputs: stackReferenceOutputs(String(inputs.name)), secretOutputNames: [] } };
    }
    if (preview) return { id: undefined, state: { ...inputs, ...autoNamed } };

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
                return { endpoint: "203.0.113.10", masterAuth: { clusterCaCertificate: "bW9jay1jYQ==" } };
            default:
                return {};
        }
    })();
    return { id: `${physicalName}-id`, state: { ...named, ...computed } };
}

/** The physical name the provider would pick when the program leaves it to auto-naming. */
function autoName(type: string, inputs: Record<string, unknown>, physicalName: string): Record<string, unknown> {
    if (type === "aws:s3/bucket:Bucket") return inputs.bucket ? {} : { bucket: inputs.bucketPrefix ? `${inputs.bucketPrefix}${physicalName.slice(-7)}` : physicalName };
    if (type.startsWith("kubernetes:")) {
        const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
        return metadata.name ? {} : { metadata: { ...metadata, name: physicalName } };
    }
    if (type.startsWith("pulumi:") || type.startsWith("model-serving:")) return {};
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
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: [`${region}a`, `${region}b`, `${region}c`], zoneIds: [`${region}-az1`, `${region}-az2`, `${region}-az3`], state: "available" };
        default:
            throw new Error(`plan: no mock for provider function ${args.token}; add one to plan/mocks.ts`);
    }
}
