import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, describe } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { formatBytes, GiB, MiB, parseQuantity } from "../platform/quantity";
import { CLOUD_RUN_SERVICE } from "../lib/types";

export interface CloudRunBounds {
    maxCpu: number;
    maxMemory: string;
    maxInstanceCount: number;
}

/** Whole vCPU counts Cloud Run accepts above 1; below 1 any value from 0.08 works. */
const WHOLE_CPUS = [1, 2, 4, 6, 8];
/** Smallest cpu for memory above a threshold (Cloud Run "Required minimum CPUs" table). */
const MIN_CPU_FOR_MEMORY: [bytes: number, cpu: number][] = [[24 * GiB, 8], [16 * GiB, 6], [8 * GiB, 4], [4 * GiB, 2], [1 * GiB, 1], [512 * MiB, 0.5]];
/** Smallest memory for a cpu count (Cloud Run "vCPU and memory" table). */
const MIN_MEMORY_FOR_CPU: [cpu: number, bytes: number][] = [[6, 4 * GiB], [4, 2 * GiB]];

/**
 * Whether Cloud Run accepts a cpu/memory pair: cpu is 0.08..1 or a whole 1, 2, 4, 6 or 8; memory is at most
 * 32 GiB and at least 128 MiB (512 MiB in the second-generation environment); more memory needs more cpu
 * (over 1 GiB at least 1 vCPU, over 4 GiB 2, ...), and 4 vCPU needs at least 2 GiB, 6 or 8 vCPU 4 GiB.
 */
export function cloudRunPairProblems(cpu: number, memory: number, secondGeneration: boolean): string[] {
    const problems: string[] = [];
    if (!(cpu >= 0.08 && cpu < 1) && !WHOLE_CPUS.includes(cpu)) problems.push(`cpu ${cpu} is not 0.08..1 or one of ${WHOLE_CPUS.join(", ")}`);
    const minMemory = secondGeneration ? 512 * MiB : 128 * MiB;
    if (memory < minMemory) problems.push(`memory ${formatBytes(memory)} is below Cloud Run's minimum ${formatBytes(minMemory)}`);
    if (memory > 32 * GiB) problems.push(`memory ${formatBytes(memory)} is above Cloud Run's maximum 32Gi`);
    const neededCpu = MIN_CPU_FOR_MEMORY.find(([bytes]) => memory > bytes)?.[1];
    if (neededCpu !== undefined && cpu < neededCpu) {
        problems.push(`memory ${formatBytes(memory)} needs at least ${neededCpu} vCPU, cpu is ${cpu}`);
    }
    const neededMemory = MIN_MEMORY_FOR_CPU.find(([cores]) => cpu >= cores)?.[1];
    if (neededMemory !== undefined && memory < neededMemory) {
        problems.push(`cpu ${cpu} needs at least ${formatBytes(neededMemory)} of memory, memory is ${formatBytes(memory)}`);
    }
    return problems;
}

/** What is wrong with a Cloud Run v2 service's sizing and scaling. */
export function cloudRunProblems(props: Record<string, unknown>, bounds: CloudRunBounds): string[] {
    const template = objectAt(props.template) ?? {};
    const problems: string[] = [];
    const maxMemory = parseQuantity(bounds.maxMemory) ?? 0;
    const secondGeneration = template.executionEnvironment === "EXECUTION_ENVIRONMENT_GEN2";
    const containers = arrayAt(template.containers).map((c) => objectAt(c) ?? {});
    if (containers.length === 0) problems.push("template.containers is empty");
    containers.forEach((container, index) => {
        const where = `template.containers[${index}]${typeof container.name === "string" ? ` (${container.name})` : ""}`;
        const limits = objectAt(objectAt(container.resources)?.limits) ?? {};
        const cpu = limits.cpu === undefined ? undefined : parseQuantity(String(limits.cpu));
        const memory = limits.memory === undefined ? undefined : parseQuantity(String(limits.memory));
        if (cpu === undefined) problems.push(`${where}.resources.limits.cpu is not set to a quantity`);
        if (memory === undefined) problems.push(`${where}.resources.limits.memory is not set to a quantity`);
        if (cpu !== undefined && cpu > bounds.maxCpu) problems.push(`${where} cpu ${cpu} exceeds the allowed maximum ${bounds.maxCpu}`);
        if (memory !== undefined && memory > maxMemory) problems.push(`${where} memory ${limits.memory} exceeds the allowed maximum ${bounds.maxMemory}`);
        if (cpu !== undefined && memory !== undefined) {
            problems.push(...cloudRunPairProblems(cpu, memory, secondGeneration).map((p) => `${where} ${p}`));
        }
    });
    // The instance cap may sit on the revision template or, in newer API versions, on the service.
    const maxInstances = objectAt(template.scaling)?.maxInstanceCount ?? objectAt(props.scaling)?.maxInstanceCount;
    if (maxInstances === undefined) problems.push("template.scaling.maxInstanceCount is not set");
    else if (typeof maxInstances !== "number" || maxInstances < 1 || maxInstances > bounds.maxInstanceCount) {
        problems.push(`maxInstanceCount ${String(maxInstances)} is outside 1..${bounds.maxInstanceCount}`);
    }
    return problems;
}

export const cloudRunLimits: ResourceValidationPolicy = {
    name: "cloudrun-limits",
    description: "Cloud Run services set cpu and memory limits within the configured bounds as a pair Cloud Run accepts, and cap maxInstanceCount.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxCpu: { type: "number", minimum: 0.08, maximum: 8, default: 4, description: "Largest cpu limit per container (vCPU)." },
            maxMemory: { type: "string", pattern: "^[0-9.]+(Mi|Gi|M|G)$", default: "8Gi", description: "Largest memory limit per container." },
            maxInstanceCount: { type: "integer", minimum: 1, default: 20, description: "Largest maxInstanceCount." },
        },
    },
    validateResource: forTypes([CLOUD_RUN_SERVICE], (args, reportViolation) => {
        const problems = cloudRunProblems(args.props, args.getConfig<CloudRunBounds>());
        if (problems.length > 0) reportViolation(`${describe(args)}: ${problems.join("; ")}.`);
    }),
};
