import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { objectAt } from "../lib/props";
import { K8S_WORKLOAD_TYPES } from "../lib/types";
import { containersOf, isPatch, podSpecOf } from "../lib/workloads";
import { formatBytes, parseQuantity } from "../platform/quantity";

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
 * the request may not exceed the limit, and the limit may not exceed the configured maximum. A patch keeps the
 * live values of what it leaves out, so for a patch only the values it sets are checked.
 */
export function containerResourceProblems(resources: unknown, maxima: ContainerMaxima, patch = false): string[] {
    const requests = objectAt(objectAt(resources)?.requests) ?? {};
    const limits = objectAt(objectAt(resources)?.limits) ?? {};
    const problems: string[] = [];
    for (const resource of RESOURCES) {
        const request = requests[resource];
        const limit = limits[resource];
        const max = parseQuantity(resource === "cpu" ? maxima.maxCpu : maxima.maxMemory);
        if (request === undefined && !patch) problems.push(`resources.requests.${resource} is not set`);
        if (limit === undefined && !patch) problems.push(`resources.limits.${resource} is not set`);
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
        if (requestValue !== undefined && max !== undefined && limitValue === undefined && requestValue > max) {
            problems.push(`resources.requests.${resource} ${request} exceeds the allowed maximum ${show(resource, max)}`);
        }
    }
    return problems;
}

export const k8sContainerResources: ResourceValidationPolicy = {
    name: "k8s-container-resources",
    description: "Every container and init container of a Kubernetes workload (and of a patch of one) sets cpu and memory requests and limits, requests ≤ limits ≤ the configured maxima.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxCpu: { type: "string", pattern: "^[0-9.]+m?$", default: "4", description: "Largest cpu limit per container (quantity)." },
            maxMemory: { type: "string", pattern: "^[0-9.]+(Ki|Mi|Gi|Ti|k|M|G|T)?$", default: "16Gi", description: "Largest memory limit per container (quantity)." },
        },
    },
    validateResource: forTypes("k8s-container-resources", K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const maxima = args.getConfig<ContainerMaxima>();
        const patch = isPatch(args.type);
        const containers = containersOf(podSpecOf(args.type, args.props));
        if (containers.length === 0 && !patch) {
            reportViolation(finding(`${describe(args)} declares no containers in its pod template`, "a pod template with at least one container", "declare the containers in the template"));
        }
        const required = `cpu and memory requests and limits on every container, request ≤ limit, cpu limit ≤ ${maxima.maxCpu}, memory limit ≤ ${maxima.maxMemory}`;
        for (const container of containers) {
            const problems = containerResourceProblems(container.spec.resources, maxima, patch);
            if (problems.length > 0) {
                reportViolation(finding(`${describe(args)} ${container.kind} "${container.name}": ${problems.join("; ")}`, required,
                    "set the missing values and size the container within the maxima (spread load over more replicas rather than larger ones)"));
            }
        }
    }),
};
