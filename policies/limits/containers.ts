import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, describe } from "../lib/policy";
import { objectAt } from "../lib/props";
import { formatBytes, parseQuantity } from "../platform/quantity";
import { K8S_WORKLOAD_TYPES } from "../lib/types";
import { containersOf, podSpecOf } from "../lib/workloads";

export interface ContainerMaxima {
    /** Largest cpu limit a container may set, as a quantity ("4", "4000m"). */
    maxCpu: string;
    /** Largest memory limit a container may set, as a quantity ("16Gi"). */
    maxMemory: string;
}

const RESOURCES = ["cpu", "memory"] as const;

function show(resource: "cpu" | "memory", value: number): string {
    return resource === "cpu" ? `${value} cores` : formatBytes(value);
}

/**
 * What is wrong with one container's `resources` block: each of cpu and memory needs a request and a limit,
 * the request may not exceed the limit, and the limit may not exceed the configured maximum.
 */
export function containerResourceProblems(resources: unknown, maxima: ContainerMaxima): string[] {
    const requests = objectAt(objectAt(resources)?.requests) ?? {};
    const limits = objectAt(objectAt(resources)?.limits) ?? {};
    const problems: string[] = [];
    for (const resource of RESOURCES) {
        const request = requests[resource];
        const limit = limits[resource];
        const max = parseQuantity(resource === "cpu" ? maxima.maxCpu : maxima.maxMemory);
        if (request === undefined) problems.push(`resources.requests.${resource} is not set`);
        if (limit === undefined) problems.push(`resources.limits.${resource} is not set`);
        const requestValue = request === undefined ? undefined : parseQuantity(String(request));
        const limitValue = limit === undefined ? undefined : parseQuantity(String(limit));
        if (request !== undefined && requestValue === undefined) problems.push(`resources.requests.${resource} "${request}" is not a quantity`);
        if (limit !== undefined && limitValue === undefined) problems.push(`resources.limits.${resource} "${limit}" is not a quantity`);
        if (requestValue !== undefined && limitValue !== undefined && requestValue > limitValue) {
            problems.push(`resources.requests.${resource} ${request} exceeds resources.limits.${resource} ${limit}`);
        }
        if (limitValue !== undefined && max !== undefined && limitValue > max) {
            problems.push(`resources.limits.${resource} ${limit} exceeds the allowed maximum ${show(resource, max)}`);
        }
    }
    return problems;
}

export const k8sContainerResources: ResourceValidationPolicy = {
    name: "k8s-container-resources",
    description: "Every container and init container of a Kubernetes workload sets cpu and memory requests and limits, requests ≤ limits ≤ the configured maxima.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxCpu: { type: "string", pattern: "^[0-9.]+m?$", default: "4", description: "Largest cpu limit per container (quantity)." },
            maxMemory: { type: "string", pattern: "^[0-9.]+(Ki|Mi|Gi|Ti|k|M|G|T)?$", default: "16Gi", description: "Largest memory limit per container (quantity)." },
        },
    },
    validateResource: forTypes(K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const maxima = args.getConfig<ContainerMaxima>();
        const containers = containersOf(podSpecOf(args.type, args.props));
        if (containers.length === 0) reportViolation(`${describe(args)} declares no containers in its pod template.`);
        for (const container of containers) {
            const problems = containerResourceProblems(container.spec.resources, maxima);
            if (problems.length > 0) {
                reportViolation(`${describe(args)} ${container.kind} "${container.name}": ${problems.join("; ")}. ` +
                    `Allowed: cpu and memory requests and limits on every container, request ≤ limit, cpu limit ≤ ${maxima.maxCpu}, memory limit ≤ ${maxima.maxMemory}.`);
            }
        }
    }),
};
