import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { objectAt } from "../lib/props";
import { K8S_HPA_TYPES } from "../lib/types";

export interface ReplicaBounds {
    minReplicas: number;
    maxReplicas: number;
}

/** What is wrong with an HPA's replica range; Kubernetes defaults minReplicas to 1 and requires maxReplicas. */
export function hpaProblems(spec: unknown, bounds: ReplicaBounds): string[] {
    const minReplicas = objectAt(spec)?.minReplicas ?? 1;
    const maxReplicas = objectAt(spec)?.maxReplicas;
    const problems: string[] = [];
    if (typeof minReplicas !== "number") problems.push(`spec.minReplicas ${String(minReplicas)} is not a number`);
    else if (minReplicas < bounds.minReplicas) problems.push(`spec.minReplicas ${minReplicas} is below the allowed minimum ${bounds.minReplicas}`);
    if (typeof maxReplicas !== "number") problems.push("spec.maxReplicas is not set");
    else if (maxReplicas > bounds.maxReplicas) problems.push(`spec.maxReplicas ${maxReplicas} exceeds the allowed maximum ${bounds.maxReplicas}`);
    if (typeof minReplicas === "number" && typeof maxReplicas === "number" && minReplicas > maxReplicas) {
        problems.push(`spec.minReplicas ${minReplicas} exceeds spec.maxReplicas ${maxReplicas}`);
    }
    return problems;
}

export const k8sHpaBounds: ResourceValidationPolicy = {
    name: "k8s-hpa-bounds",
    description: "HorizontalPodAutoscalers keep minReplicas and maxReplicas within the configured bounds.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minReplicas: { type: "integer", minimum: 0, default: 1, description: "Smallest minReplicas an HPA may declare." },
            maxReplicas: { type: "integer", minimum: 1, default: 20, description: "Largest maxReplicas an HPA may declare." },
        },
    },
    validateResource: forTypes("k8s-hpa-bounds", K8S_HPA_TYPES, (args, reportViolation) => {
        const bounds = args.getConfig<ReplicaBounds>();
        const problems = hpaProblems(args.props.spec, bounds);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`, `${bounds.minReplicas} ≤ minReplicas ≤ maxReplicas ≤ ${bounds.maxReplicas}`,
                "keep the HPA's range inside the bounds; for more capacity give each replica more cpu within k8s-container-resources' maxima"));
        }
    }),
};
