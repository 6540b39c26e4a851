import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, describe } from "../lib/policy";
import { arrayAt, knownStrings, objectAt } from "../lib/props";
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
    validateResource: forTypes([t.LAMBDA_FUNCTION_URL], (args, reportViolation) => {
        const { allowPublic } = args.getConfig<{ allowPublic: boolean }>();
        if (!allowPublic && args.props.authorizationType !== "AWS_IAM") {
            reportViolation(`${describe(args)} has authorizationType "${String(args.props.authorizationType)}". Allowed: AWS_IAM (set allowPublic to permit NONE).`);
        }
    }),
};

/** The public principals a Cloud Run IAM resource grants the invoker role to. */
export function publicInvokers(type: string, props: Record<string, unknown>): string[] {
    if (type === t.CLOUD_RUN_IAM_POLICY) {
        const policy = typeof props.policyData === "string" ? JSON.parse(props.policyData) : {};
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
    description: "Cloud Run services are not invokable by allUsers or allAuthenticatedUsers (nor have invoker IAM disabled) unless the stack allows public access.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowPublic: { type: "boolean", default: false, description: "Allow a public invoker." } },
    },
    validateResource: forTypes([t.CLOUD_RUN_SERVICE, t.CLOUD_RUN_IAM_MEMBER, t.CLOUD_RUN_IAM_BINDING, t.CLOUD_RUN_IAM_POLICY], (args, reportViolation) => {
        const { allowPublic } = args.getConfig<{ allowPublic: boolean }>();
        if (allowPublic) return;
        if (args.type === t.CLOUD_RUN_SERVICE) {
            if (args.props.invokerIamDisabled === true) reportViolation(`${describe(args)} sets invokerIamDisabled, so anyone can invoke it. Allowed: IAM-checked invocation (set allowPublic to permit).`);
            return;
        }
        const open = publicInvokers(args.type, args.props);
        if (open.length > 0) reportViolation(`${describe(args)} grants roles/run.invoker to ${open.join(", ")}. Allowed: named principals only (set allowPublic to permit).`);
    }),
};

export const k8sServiceType: ResourceValidationPolicy = {
    name: "k8s-service-type",
    description: "Kubernetes Services are not of type LoadBalancer unless the stack allows it (expose through an ingress instead).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowLoadBalancer: { type: "boolean", default: false, description: "Allow type LoadBalancer." } },
    },
    validateResource: forTypes([t.K8S_SERVICE], (args, reportViolation) => {
        const { allowLoadBalancer } = args.getConfig<{ allowLoadBalancer: boolean }>();
        const type = objectAt(args.props.spec)?.type;
        if (!allowLoadBalancer && type === "LoadBalancer") {
            reportViolation(`${describe(args)} has spec.type LoadBalancer. Allowed: ClusterIP or NodePort (set allowLoadBalancer to permit).`);
        }
    }),
};
