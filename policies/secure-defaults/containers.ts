import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { objectAt } from "../lib/props";
import { K8S_WORKLOAD_TYPES } from "../lib/types";
import { containersOf, isPatch, podSpecOf } from "../lib/workloads";

/**
 * What is wrong with a container's security context. runAsNonRoot and runAsUser may come from the pod's
 * securityContext (the container's own value wins, as in Kubernetes); the other two are container-only. A patch
 * keeps the live values of what it leaves out, so for a patch only values it sets to something weaker count.
 */
export function securityContextProblems(container: unknown, pod: unknown, requireReadOnlyRootFilesystem: boolean, patch = false): string[] {
    const own = objectAt(objectAt(container)?.securityContext) ?? {};
    const podLevel = objectAt(objectAt(pod)?.securityContext) ?? {};
    const runAsNonRoot = own.runAsNonRoot ?? podLevel.runAsNonRoot;
    const runAsUser = own.runAsUser ?? podLevel.runAsUser;
    const weaker = (value: unknown, required: boolean) => (patch ? value !== undefined && value !== required : value !== required);
    const problems: string[] = [];
    if (weaker(runAsNonRoot, true)) problems.push("securityContext.runAsNonRoot is not true");
    if (runAsUser === 0) problems.push("securityContext.runAsUser is 0 (root)");
    if (own.privileged === true) problems.push("securityContext.privileged is true");
    if (weaker(own.allowPrivilegeEscalation, false)) problems.push("securityContext.allowPrivilegeEscalation is not false");
    if (requireReadOnlyRootFilesystem && weaker(own.readOnlyRootFilesystem, true)) problems.push("securityContext.readOnlyRootFilesystem is not true");
    return problems;
}

export const containerSecurityContext: ResourceValidationPolicy = {
    name: "container-security-context",
    description: "Kubernetes containers (every workload kind and patches of them) run as non-root, unprivileged, without privilege escalation, with a read-only root filesystem.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireReadOnlyRootFilesystem: { type: "boolean", default: true, description: "Require readOnlyRootFilesystem: true (mount an emptyDir for scratch space)." },
        },
    },
    validateResource: forTypes("container-security-context", K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const { requireReadOnlyRootFilesystem } = args.getConfig<{ requireReadOnlyRootFilesystem: boolean }>();
        const pod = podSpecOf(args.type, args.props);
        const required = `runAsNonRoot true, not privileged, allowPrivilegeEscalation false${requireReadOnlyRootFilesystem ? ", readOnlyRootFilesystem true" : ""}`;
        for (const container of containersOf(pod)) {
            const problems = securityContextProblems(container.spec, pod, requireReadOnlyRootFilesystem, isPatch(args.type));
            if (problems.length > 0) {
                reportViolation(finding(`${describe(args)} ${container.kind} "${container.name}": ${problems.join("; ")}`, required,
                    "set those fields in the container's securityContext (run as a non-root UID the image owns; mount an emptyDir where it writes)"));
            }
        }
    }),
};
