import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { ECR_REPOSITORY } from "../lib/types";

/** What an ECR repository lacks: scanning on push, immutable tags, KMS encryption when required. */
export function ecrRepositoryProblems(props: Record<string, unknown>, config: { requireKms: boolean }): string[] {
    const problems: string[] = [];
    if (objectAt(props.imageScanningConfiguration)?.scanOnPush !== true) problems.push("imageScanningConfiguration.scanOnPush is not true");
    if (props.imageTagMutability !== "IMMUTABLE") problems.push(`imageTagMutability is ${JSON.stringify(props.imageTagMutability ?? "MUTABLE")}, so a tag can be moved to another image`);
    const encryption = arrayAt(props.encryptionConfigurations).map((e) => objectAt(e)?.encryptionType);
    if (config.requireKms && !encryption.includes("KMS")) problems.push(`encryptionConfigurations is ${encryption.length > 0 ? encryption.join(", ") : "unset (AES256)"}, not KMS`);
    return problems;
}

export const ecrRepositoryHardening: ResourceValidationPolicy = {
    name: "ecr-repository-hardening",
    description: "ECR repositories scan images on push, keep tags immutable and, when required, encrypt with KMS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireKms: { type: "boolean", default: false, description: "Require encryptionType KMS (AWS-managed aws/ecr key or a customer key)." },
        },
    },
    validateResource: forTypes("ecr-repository-hardening", [ECR_REPOSITORY], (args, reportViolation) => {
        const config = args.getConfig<{ requireKms: boolean }>();
        const problems = ecrRepositoryProblems(args.props, config);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`,
                `scanOnPush true, imageTagMutability IMMUTABLE${config.requireKms ? ", encryptionType KMS" : ""}`,
                `set imageScanningConfiguration { scanOnPush: true }, imageTagMutability "IMMUTABLE"${config.requireKms ? " and encryptionConfigurations [{ encryptionType: \"KMS\" }]" : ""}`));
        }
    }),
};
