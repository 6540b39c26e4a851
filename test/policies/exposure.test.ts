import { strict as assert } from "node:assert";
import { eksEndpointProblem, encryptsSecrets } from "../../policies/secure-defaults/eks";
import { lambdaPermissionProblems, publicInvokers } from "../../policies/secure-defaults/exposure";
import { check, messagesOf, resource, UNKNOWN } from "./harness";

describe("exposure: API Gateway routes", () => {
    it("fails an HTTP API route and a REST method without authorization, passes AWS_IAM, JWT and CORS preflight", async () => {
        const route = (authorizationType?: string, routeKey = "$default") => resource("aws:apigatewayv2/route:Route", `route-${authorizationType ?? "none"}-${routeKey}`, { apiId: "a", routeKey, ...(authorizationType ? { authorizationType } : {}) });
        const result = await check([route(), route("NONE"), route("AWS_IAM"), route("JWT"), route(undefined, "OPTIONS /{proxy+}"),
            resource("aws:apigateway/method:Method", "get", { restApi: "r", resourceId: "x", httpMethod: "GET", authorization: "NONE" })]);
        const messages = messagesOf(result, "api-route-auth");
        assert.equal(messages.length, 3);
        assert.match(messages[0], /Route "route-none-\$default" has authorizationType "NONE", so anyone on the internet can call it\. Required: authorizationType one of AWS_IAM, JWT, CUSTOM, COGNITO_USER_POOLS\. Fix: set authorizationType AWS_IAM/);
        assert.match(messages[2], /Method "get" has authorization "NONE"/);
    });
});

describe("exposure: NodePort", () => {
    it("fails NodePort like LoadBalancer and never suggests it as the fix", async () => {
        const svc = resource("kubernetes:core/v1:Service", "inference", { spec: { type: "NodePort", ports: [{ port: 80 }] } });
        const [message] = messagesOf(await check([svc]), "k8s-service-type");
        assert.match(message, /spec.type NodePort, which opens it outside the cluster on every node's address\. Required: type ClusterIP\. Fix: make it ClusterIP/);
        assert.doesNotMatch(message, /NodePort \(|or NodePort|allowNodePort/);
        assert.deepEqual(messagesOf(await check([svc], { "k8s-service-type": { allowNodePort: true } }), "k8s-service-type"), []);
    });
});

describe("exposure: Lambda permissions", () => {
    it("refuses principal * outside a Function URL grant and a service principal without sourceArn", () => {
        assert.match(lambdaPermissionProblems({ principal: "*", action: "lambda:InvokeFunction" })[0], /principal "\*" lets any AWS account/);
        assert.match(lambdaPermissionProblems({ principal: "s3.amazonaws.com" })[0], /has no sourceArn or sourceAccount/);
        assert.deepEqual(lambdaPermissionProblems({ principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN }), []);
        assert.deepEqual(lambdaPermissionProblems({ principal: "123456789012" }), []);
        // A public Function URL's own grant follows the URL's auth type, which lambda-url-auth checks.
        assert.deepEqual(lambdaPermissionProblems({ principal: "*", functionUrlAuthType: "NONE", action: "lambda:InvokeFunctionUrl" }), []);
    });

    it("reports through the pack", async () => {
        const open = resource("aws:lambda/permission:Permission", "open", { function: "fn", action: "lambda:InvokeFunction", principal: "*" });
        assert.match(messagesOf(await check([open]), "lambda-permission-scope")[0], /Fix: set principal to the calling account or service and sourceArn/);
    });
});

describe("exposure: Cloud Run v1 IAM", () => {
    it("finds allUsers in v1 members, bindings and policies", async () => {
        assert.deepEqual(publicInvokers("gcp:cloudrun/iamBinding:IamBinding", { role: "roles/run.invoker", members: ["allUsers"] }), ["allUsers"]);
        const result = await check([
            resource("gcp:cloudrun/iamMember:IamMember", "public", { service: "svc", location: "us-central1", role: "roles/run.invoker", member: "allUsers" }),
            resource("gcp:cloudrun/iamPolicy:IamPolicy", "policy", { service: "svc", location: "us-central1", policyData: JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allAuthenticatedUsers"] }] }) }),
            resource("gcp:cloudrun/iamMember:IamMember", "team", { service: "svc", location: "us-central1", role: "roles/run.invoker", member: "group:ml@example.com" }),
        ]);
        const messages = messagesOf(result, "cloudrun-public-invoker");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /IamMember "public" grants roles\/run.invoker to allUsers\. Required: invokers are named principals/);
    });
});

describe("EKS: endpoint access and secrets encryption", () => {
    it("refuses a public endpoint without CIDRs or open to 0.0.0.0/0, accepts private or listed ranges", () => {
        assert.match(String(eksEndpointProblem({ vpcConfig: { endpointPublicAccess: true } }, [])), /no publicAccessCidrs/);
        assert.match(String(eksEndpointProblem({ vpcConfig: {} }, [])), /EKS defaults to public/);
        assert.match(String(eksEndpointProblem({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }, [])), /which is any address/);
        assert.equal(eksEndpointProblem({ vpcConfig: { endpointPublicAccess: false } }, []), undefined);
        assert.equal(eksEndpointProblem({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }, []), undefined);
        assert.match(String(eksEndpointProblem({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["192.0.2.0/24"] } }, ["203.0.113.0/24"])), /not in the allowed ranges/);
    });

    it("requires envelope encryption of secrets, accepting a key ARN unknown at preview", async () => {
        assert.ok(encryptsSecrets({ encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:us-east-1:1:key/x" } } }));
        const cluster = (props: Record<string, unknown>) => resource("aws:eks/cluster:Cluster", "eks", { vpcConfig: { endpointPublicAccess: false }, ...props });
        assert.deepEqual(messagesOf(await check([cluster({ encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } } })]), "eks-secrets-encryption"), []);
        assert.match(messagesOf(await check([cluster({})]), "eks-secrets-encryption")[0], /has no encryptionConfig for "secrets"/);
        assert.match(messagesOf(await check([resource("aws:eks/cluster:Cluster", "eks", {})]), "eks-endpoint-access")[0], /Fix: set vpcConfig.publicAccessCidrs/);
    });
});
