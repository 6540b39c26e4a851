import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { K8S_REPLICATED_TYPES } from "../lib/types";

/**
 * Why a fixed replica count is too high, or undefined. An HPA caps what it scales to (k8s-hpa-bounds); a
 * replica count written into the workload is capped here, so 500 replicas without an HPA cannot slip through.
 */
export function replicaCountProblem(replicas: unknown, maxReplicas: number): string | undefined {
    if (replicas === undefined) return undefined;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) return `spec.replicas ${JSON.stringify(replicas)} is not a whole number`;
    return replicas > maxReplicas ? `spec.replicas ${replicas} exceeds the allowed maximum ${maxReplicas}` : undefined;
}

export const k8sReplicaBounds: ResourceValidationPolicy = {
    name: "k8s-replica-bounds",
    description: "Deployments, ReplicaSets, StatefulSets and ReplicationControllers (and patches of them) keep a fixed spec.replicas within the configured maximum.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxReplicas: { type: "integer", minimum: 1, default: 20, description: "Largest spec.replicas a workload may declare." },
        },
    },
    validateResource: forTypes("k8s-replica-bounds", K8S_REPLICATED_TYPES, (args, reportViolation) => {
        const { maxReplicas } = args.getConfig<{ maxReplicas: number }>();
        const problem = replicaCountProblem((args.props.spec as Record<string, unknown> | undefined)?.replicas, maxReplicas);
        if (problem) {
            reportViolation(finding(`${describe(args)}: ${problem}`, `at most ${maxReplicas} replicas`,
                "lower spec.replicas, or leave it unset and scale with a HorizontalPodAutoscaler whose maxReplicas k8s-hpa-bounds caps"));
        }
    }),
};
