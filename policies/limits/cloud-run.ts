import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE } from "../lib/types";
import { CLOUD_RUN, cloudRunSizeProblems } from "../platform/limits";
import { parseQuantity } from "../platform/quantity";

export interface CloudRunBounds {
    maxCpu: number;
    maxMemory: string;
    maxInstanceCount: number;
    maxConcurrency: number;
}

/** The parts of a Cloud Run service the bounds apply to, read from the v2 API shape or the v1 (Knative) one. */
interface CloudRunShape {
    containers: Record<string, unknown>[];
    containersPath: string;
    maxInstances: unknown;
    maxInstancesPath: string;
    concurrency: unknown;
    concurrencyPath: string;
    secondGeneration: boolean;
}

function shapeOf(type: string, props: Record<string, unknown>): CloudRunShape {
    const template = objectAt(props.template) ?? {};
    if (type === CLOUD_RUN_V1_SERVICE) {
        const spec = objectAt(template.spec) ?? {};
        const annotations = objectAt(objectAt(template.metadata)?.annotations) ?? {};
        const maxScale = annotations["autoscaling.knative.dev/maxScale"];
        return {
            containers: arrayAt(spec.containers).map((c) => objectAt(c) ?? {}),
            containersPath: "template.spec.containers",
            maxInstances: typeof maxScale === "string" ? Number(maxScale) : maxScale,
            maxInstancesPath: "template.metadata.annotations[autoscaling.knative.dev/maxScale]",
            concurrency: spec.containerConcurrency,
            concurrencyPath: "template.spec.containerConcurrency",
            secondGeneration: annotations["run.googleapis.com/execution-environment"] === "gen2",
        };
    }
    // The instance cap may sit on the revision template or, in newer API versions, on the service.
    const onTemplate = objectAt(template.scaling)?.maxInstanceCount;
    return {
        containers: arrayAt(template.containers).map((c) => objectAt(c) ?? {}),
        containersPath: "template.containers",
        maxInstances: onTemplate ?? objectAt(props.scaling)?.maxInstanceCount,
        maxInstancesPath: onTemplate === undefined && objectAt(props.scaling)?.maxInstanceCount !== undefined ? "scaling.maxInstanceCount" : "template.scaling.maxInstanceCount",
        concurrency: template.maxInstanceRequestConcurrency,
        concurrencyPath: "template.maxInstanceRequestConcurrency",
        secondGeneration: template.executionEnvironment === "EXECUTION_ENVIRONMENT_GEN2",
    };
}

/** What is wrong with a Cloud Run service's sizing, scaling and concurrency. */
export function cloudRunProblems(type: string, props: Record<string, unknown>, bounds: CloudRunBounds): string[] {
    const shape = shapeOf(type, props);
    const problems: string[] = [];
    const maxMemory = parseQuantity(bounds.maxMemory) ?? 0;
    // Cloud Run's own default is 80 requests per instance.
    const concurrency = shape.concurrency ?? 80;
    if (typeof concurrency !== "number" || concurrency < 1 || concurrency > Math.min(bounds.maxConcurrency, CLOUD_RUN.maxConcurrency)) {
        problems.push(`${shape.concurrencyPath} ${String(concurrency)}${shape.concurrency === undefined ? " (Cloud Run's default)" : ""} is outside 1..${bounds.maxConcurrency}`);
    }
    if (shape.containers.length === 0) problems.push(`${shape.containersPath} is empty`);
    shape.containers.forEach((container, index) => {
        const where = `${shape.containersPath}[${index}]${typeof container.name === "string" ? ` (${container.name})` : ""}`;
        const limits = objectAt(objectAt(container.resources)?.limits) ?? {};
        const cpu = limits.cpu === undefined ? undefined : parseQuantity(String(limits.cpu));
        const memory = limits.memory === undefined ? undefined : parseQuantity(String(limits.memory));
        if (cpu === undefined) problems.push(`${where}.resources.limits.cpu is not set to a quantity`);
        if (memory === undefined) problems.push(`${where}.resources.limits.memory is not set to a quantity`);
        if (cpu !== undefined && cpu > bounds.maxCpu) problems.push(`${where} cpu ${cpu} exceeds the allowed maximum ${bounds.maxCpu}`);
        if (memory !== undefined && memory > maxMemory) problems.push(`${where} memory ${limits.memory} exceeds the allowed maximum ${bounds.maxMemory}`);
        if (cpu !== undefined && memory !== undefined) {
            const opts = { secondGeneration: shape.secondGeneration, ...(typeof concurrency === "number" ? { concurrency } : {}) };
            problems.push(...cloudRunSizeProblems(cpu, memory, opts).map((p) => `${where} ${p}`));
        }
    });
    if (shape.maxInstances === undefined) problems.push(`${shape.maxInstancesPath} is not set`);
    else if (typeof shape.maxInstances !== "number" || !(shape.maxInstances >= 1) || shape.maxInstances > bounds.maxInstanceCount) {
        problems.push(`${shape.maxInstancesPath} ${String(shape.maxInstances)} is outside 1..${bounds.maxInstanceCount}`);
    }
    return problems;
}

export const cloudRunLimits: ResourceValidationPolicy = {
    name: "cloudrun-limits",
    description: "Cloud Run services (v2 and v1) set cpu and memory limits within the configured bounds as a pair Cloud Run accepts, and cap instances and per-instance concurrency.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxCpu: { type: "number", minimum: 0.08, maximum: 8, default: 4, description: "Largest cpu limit per container (vCPU)." },
            maxMemory: { type: "string", pattern: "^[0-9.]+(Mi|Gi|M|G)$", default: "8Gi", description: "Largest memory limit per container." },
            maxInstanceCount: { type: "integer", minimum: 1, default: 20, description: "Largest maxInstanceCount." },
            maxConcurrency: { type: "integer", minimum: 1, maximum: 1000, default: 100, description: "Largest requests per instance (maxInstanceRequestConcurrency / containerConcurrency)." },
        },
    },
    validateResource: forTypes("cloudrun-limits", [CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE], (args, reportViolation) => {
        const bounds = args.getConfig<CloudRunBounds>();
        const problems = cloudRunProblems(args.type, args.props, bounds);
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`,
                `cpu ≤ ${bounds.maxCpu} and memory ≤ ${bounds.maxMemory} as a pair Cloud Run accepts, 1..${bounds.maxInstanceCount} instances, 1..${bounds.maxConcurrency} requests per instance`,
                "size the service within the bounds (on the ModelService: cpu/memory, maxReplicas, concurrency)"));
        }
    }),
};
