import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import { EKS_CLUSTER } from "../lib/types";

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

/**
 * Why an EKS API endpoint is open to the internet, or undefined. EKS makes the endpoint public by default
 * (endpointPublicAccess true, publicAccessCidrs 0.0.0.0/0); a public endpoint is acceptable only when limited
 * to listed source ranges, inside `allowedPublicCidrs` when that list is configured.
 */
export function eksEndpointProblem(props: Record<string, unknown>, allowedPublicCidrs: string[]): string | undefined {
    const vpc = objectAt(props.vpcConfig) ?? {};
    if (vpc.endpointPublicAccess === false) return undefined;
    const cidrs = arrayAt(vpc.publicAccessCidrs).map(String);
    const state = vpc.endpointPublicAccess === undefined ? "vpcConfig.endpointPublicAccess is unset (EKS defaults to public)" : "vpcConfig.endpointPublicAccess is true";
    if (cidrs.length === 0) return `${state} with no publicAccessCidrs, so the API server accepts connections from any address`;
    const open = cidrs.filter((c) => OPEN_CIDRS.includes(c));
    if (open.length > 0) return `${state} with publicAccessCidrs ${open.join(", ")}, which is any address`;
    const outside = allowedPublicCidrs.length > 0 ? cidrs.filter((c) => !allowedPublicCidrs.includes(c)) : [];
    return outside.length > 0 ? `${state} with publicAccessCidrs ${outside.join(", ")}, not in the allowed ranges ${allowedPublicCidrs.join(", ")}` : undefined;
}

export const eksEndpointAccess: ResourceValidationPolicy = {
    name: "eks-endpoint-access",
    description: "EKS cluster API endpoints are private, or public only to listed CIDR ranges (inside allowedPublicCidrs when configured), never to 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedPublicCidrs: { type: "array", items: { type: "string", pattern: "^[0-9a-fA-F.:]+/[0-9]+$" }, default: [], description: "When not empty, the only ranges a public endpoint may list." },
        },
    },
    validateResource: forTypes("eks-endpoint-access", [EKS_CLUSTER], (args, reportViolation) => {
        const { allowedPublicCidrs } = args.getConfig<{ allowedPublicCidrs: string[] }>();
        const problem = eksEndpointProblem(args.props, allowedPublicCidrs);
        if (problem) {
            reportViolation(finding(`${describe(args)}: ${problem}`, "a private endpoint, or a public one limited to listed source ranges",
                "set vpcConfig.publicAccessCidrs to the deploying CI's and operators' ranges (on the ModelService: clusterApiCidrs), or endpointPublicAccess false with deploys from inside the VPC"));
        }
    }),
};

/** Whether an EKS cluster envelope-encrypts Kubernetes Secrets with a KMS key. */
export function encryptsSecrets(props: Record<string, unknown>): boolean {
    const config = objectAt(props.encryptionConfig);
    // The key is usually created in the same program, so its ARN is unknown at preview: set is what counts.
    const keyArn = readKnown(() => objectAt(config?.provider)?.keyArn);
    return arrayAt(config?.resources).includes("secrets") && (!keyArn.known || typeof keyArn.value === "string");
}

export const eksSecretsEncryption: ResourceValidationPolicy = {
    name: "eks-secrets-encryption",
    description: "EKS clusters envelope-encrypt Kubernetes Secrets with a KMS key (encryptionConfig for resources [\"secrets\"]).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { requireSecretsEncryption: { type: "boolean", default: true, description: "Require encryptionConfig with a KMS key for secrets." } },
    },
    validateResource: forTypes("eks-secrets-encryption", [EKS_CLUSTER], (args, reportViolation) => {
        const { requireSecretsEncryption } = args.getConfig<{ requireSecretsEncryption: boolean }>();
        if (requireSecretsEncryption && !encryptsSecrets(args.props)) {
            reportViolation(finding(`${describe(args)} has no encryptionConfig for "secrets", so Kubernetes Secrets are stored in etcd without envelope encryption`,
                "encryptionConfig { resources: [\"secrets\"], provider.keyArn: a KMS key }", "create a KMS key with rotation and set it as the cluster's encryptionConfig provider"));
        }
    }),
};
