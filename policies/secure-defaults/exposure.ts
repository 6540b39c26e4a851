import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, knownStrings, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const INVOKER_ROLES = ["roles/run.invoker"];

export const lambdaUrlAuth: ResourceValidationPolicy = {
    name: "lambda-url-auth",
    description: "Lambda Function URLs require AWS_IAM authorization unless the stack allows public URLs.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowPublic: { type: "boolean", default: false, description: "Allow authorizationType NONE." } },
    },
    validateResource: forTypes("lambda-url-auth", [t.LAMBDA_FUNCTION_URL], (args, reportViolation) => {
        const { allowPublic } = args.getConfig<{ allowPublic: boolean }>();
        if (!allowPublic && args.props.authorizationType !== "AWS_IAM") {
            reportViolation(finding(`${describe(args)} has authorizationType "${String(args.props.authorizationType)}", so anyone on the internet can invoke the function`,
                "AWS_IAM authorization", "set authorizationType AWS_IAM and sign callers' requests with SigV4 (on the ModelService: exposure private)"));
        }
    }),
};

const CLOUD_RUN_IAM_TYPES: readonly string[] = [
    t.CLOUD_RUN_IAM_MEMBER, t.CLOUD_RUN_IAM_BINDING, t.CLOUD_RUN_IAM_POLICY,
    t.CLOUD_RUN_V1_IAM_MEMBER, t.CLOUD_RUN_V1_IAM_BINDING, t.CLOUD_RUN_V1_IAM_POLICY,
];

/** The public principals a Cloud Run (v2 or v1) IAM resource grants the invoker role to. */
export function publicInvokers(type: string, props: Record<string, unknown>): string[] {
    if (type === t.CLOUD_RUN_IAM_POLICY || type === t.CLOUD_RUN_V1_IAM_POLICY) {
        const data = readKnown(() => props.policyData);
        const policy = data.known && typeof data.value === "string" ? JSON.parse(data.value) : {};
        return arrayAt(objectAt(policy)?.bindings)
            .filter((b) => INVOKER_ROLES.includes(String(objectAt(b)?.role)))
            .flatMap((b) => arrayAt(objectAt(b)?.members).map(String))
            .filter((m) => PUBLIC_MEMBERS.includes(m));
    }
    if (!INVOKER_ROLES.includes(String(props.role))) return [];
    return [...knownStrings(() => props.member), ...knownStrings(() => props.members)].filter((m) => PUBLIC_MEMBERS.includes(m));
}

export const cloudRunPublicInvoker: ResourceValidationPolicy = {
    name: "cloudrun-public-invoker",
    description: "Cloud Run services (v2 and v1) are not invokable by allUsers or allAuthenticatedUsers (nor have invoker IAM disabled) unless the stack allows public access.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowPublic: { type: "boolean", default: false, description: "Allow a public invoker." } },
    },
    validateResource: forTypes("cloudrun-public-invoker", [t.CLOUD_RUN_SERVICE, ...CLOUD_RUN_IAM_TYPES], (args, reportViolation) => {
        const { allowPublic } = args.getConfig<{ allowPublic: boolean }>();
        if (allowPublic) return;
        const fix = "grant roles/run.invoker to the named service accounts or groups that call it (on the ModelService: exposure private and invokers)";
        if (args.type === t.CLOUD_RUN_SERVICE) {
            if (args.props.invokerIamDisabled === true) {
                reportViolation(finding(`${describe(args)} sets invokerIamDisabled, so anyone can invoke it`, "IAM-checked invocation", `remove invokerIamDisabled and ${fix}`));
            }
            return;
        }
        const open = publicInvokers(args.type, args.props);
        if (open.length > 0) reportViolation(finding(`${describe(args)} grants roles/run.invoker to ${open.join(", ")}`, "invokers are named principals", fix));
    }),
};

export const k8sServiceType: ResourceValidationPolicy = {
    name: "k8s-service-type",
    description: "Kubernetes Services are not of type LoadBalancer or NodePort unless the stack allows it (expose through an ingress or gateway instead).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowLoadBalancer: { type: "boolean", default: false, description: "Allow type LoadBalancer." },
            allowNodePort: { type: "boolean", default: false, description: "Allow type NodePort (opens the port on every node)." },
        },
    },
    validateResource: forTypes("k8s-service-type", [t.K8S_SERVICE, `${t.K8S_SERVICE}Patch`], (args, reportViolation) => {
        const { allowLoadBalancer, allowNodePort } = args.getConfig<{ allowLoadBalancer: boolean; allowNodePort: boolean }>();
        const type = objectAt(args.props.spec)?.type;
        const exposed = (type === "LoadBalancer" && !allowLoadBalancer) || (type === "NodePort" && !allowNodePort);
        if (exposed) {
            reportViolation(finding(`${describe(args)} has spec.type ${String(type)}, which opens it outside the cluster${type === "NodePort" ? " on every node's address" : ""}`,
                "type ClusterIP", "make it ClusterIP and route outside traffic through an Ingress or Gateway that authenticates and terminates TLS"));
        }
    }),
};

/** API Gateway authorization types that check the caller. */
const AUTHORIZED = ["AWS_IAM", "JWT", "CUSTOM", "COGNITO_USER_POOLS"];

export const apiRouteAuth: ResourceValidationPolicy = {
    name: "api-route-auth",
    description: "API Gateway routes (HTTP/WebSocket APIs) and REST API methods require authorization (AWS_IAM, JWT, a custom or Cognito authorizer) unless the stack allows public APIs.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowPublic: { type: "boolean", default: false, description: "Allow routes with authorizationType NONE." } },
    },
    validateResource: forTypes("api-route-auth", [t.API_GATEWAY_V2_ROUTE, t.API_GATEWAY_METHOD], (args, reportViolation) => {
        const { allowPublic } = args.getConfig<{ allowPublic: boolean }>();
        const field = args.type === t.API_GATEWAY_METHOD ? "authorization" : "authorizationType";
        const value = args.props[field] ?? "NONE";
        // CORS preflight carries no credentials by design.
        const preflight = args.props.httpMethod === "OPTIONS" || (typeof args.props.routeKey === "string" && args.props.routeKey.startsWith("OPTIONS "));
        if (allowPublic || preflight || AUTHORIZED.includes(String(value))) return;
        reportViolation(finding(`${describe(args)} has ${field} ${JSON.stringify(value)}, so anyone on the internet can call it`,
            `${field} one of ${AUTHORIZED.join(", ")}`, `set ${field} AWS_IAM (or attach a JWT / custom authorizer) (on the ModelService: exposure private)`));
    }),
};

/**
 * What makes a Lambda permission too wide: any principal ("*") outside a Function URL grant (those follow the
 * URL's own auth type, which lambda-url-auth checks), or a service principal without sourceArn or sourceAccount,
 * which lets any account's resource of that service invoke the function (the confused deputy).
 */
export function lambdaPermissionProblems(props: Record<string, unknown>): string[] {
    const principal = String(props.principal ?? "");
    const forFunctionUrl = props.functionUrlAuthType !== undefined || props.invokedViaFunctionUrl === true;
    if (principal === "*" && !forFunctionUrl) return ['principal "*" lets any AWS account or anonymous caller invoke the function'];
    // A source computed from another resource (the API's execution ARN) is unknown at preview, and set.
    const isSet = (read: () => unknown) => { const value = readKnown(read); return !value.known || value.value !== undefined; };
    if (principal.endsWith(".amazonaws.com") && !isSet(() => props.sourceArn) && !isSet(() => props.sourceAccount)) {
        return [`principal ${principal} has no sourceArn or sourceAccount, so that service acting for any account can invoke the function`];
    }
    return [];
}

export const lambdaPermissionScope: ResourceValidationPolicy = {
    name: "lambda-permission-scope",
    description: "Lambda permissions name their caller: no principal \"*\" (outside Function URL grants), and service principals carry sourceArn or sourceAccount.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowedPrincipals: { type: "array", items: { type: "string" }, default: [], description: "Extra principals accepted without sourceArn (account IDs are always accepted)." } },
    },
    validateResource: forTypes("lambda-permission-scope", [t.LAMBDA_PERMISSION], (args, reportViolation) => {
        const { allowedPrincipals } = args.getConfig<{ allowedPrincipals: string[] }>();
        if (allowedPrincipals.includes(String(args.props.principal))) return;
        const problems = lambdaPermissionProblems(args.props);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`, "a named principal, and sourceArn (or sourceAccount) for a service principal",
                "set principal to the calling account or service and sourceArn to the exact resource that calls (e.g. the API's execution ARN)"));
        }
    }),
};
