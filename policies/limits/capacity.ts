import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { describe, finding } from "../lib/policy";
import { objectAt, readKnown } from "../lib/props";
import { K8S_HPA_TYPES, K8S_WORKLOAD_OBJECT_TYPES } from "../lib/types";
import { containersOf, kindOf, podSpecOf } from "../lib/workloads";
import { describeShape, fittingTypes, NodeShape, podAllocatable, replicasPerNode } from "../platform/instance-types";
import { formatBytes, formatMillis, MiB, parseQuantity } from "../platform/quantity";
import { NodePool, nodePoolsOf, NodeShapes, nodeShapesSchema, shapeOf } from "./nodes";

/** What one replica asks the scheduler for. */
export interface PodRequest { cpuMillis: number; memoryMiB: number }

/**
 * A pod's effective request, as the scheduler computes it: the sum over its containers, or the largest init
 * container when that is more (they run one at a time, before the others). A container without a request but
 * with a limit requests its limit (Kubernetes defaults one to the other).
 */
export function podRequestOf(podSpec: Record<string, unknown> | undefined): PodRequest {
    const requestOf = (spec: Record<string, unknown>, resource: "cpu" | "memory") => {
        const resources = objectAt(spec.resources);
        const value = objectAt(resources?.requests)?.[resource] ?? objectAt(resources?.limits)?.[resource];
        return value === undefined ? 0 : parseQuantity(String(value)) ?? 0;
    };
    const containers = containersOf(podSpec);
    const sum = (resource: "cpu" | "memory") => containers.filter((c) => c.kind === "container").reduce((total, c) => total + requestOf(c.spec, resource), 0);
    const init = (resource: "cpu" | "memory") => Math.max(0, ...containers.filter((c) => c.kind === "initContainer").map((c) => requestOf(c.spec, resource)));
    return { cpuMillis: Math.round(Math.max(sum("cpu"), init("cpu")) * 1000), memoryMiB: Math.max(sum("memory"), init("memory")) / MiB };
}

const describeRequest = (r: PodRequest) => `cpu ${formatMillis(r.cpuMillis)} / memory ${formatBytes(r.memoryMiB * MiB)}`;

/** Workloads the scheduler places on the stack's node pools (DaemonSets are in the pools' headroom already). */
const SCHEDULED: readonly string[] = K8S_WORKLOAD_OBJECT_TYPES.filter((type) => kindOf(type) !== "DaemonSet");

interface Pool { resource: PolicyResource; pool: NodePool; shape?: NodeShape; type: string }

function poolsOf(resources: PolicyResource[], described: NodeShapes): Pool[] {
    return resources.flatMap((resource) => nodePoolsOf(resource.type, resource.props).map((pool) => {
        // A pool listing several types can start the smallest: that is the one a replica must fit.
        const shapes = pool.types.map((type) => ({ type, shape: shapeOf(pool.platform, type, described) }));
        const smallest = shapes.sort((a, b) => (a.shape?.vcpus ?? Infinity) - (b.shape?.vcpus ?? Infinity))[0];
        return { resource, pool, type: smallest.type, ...(smallest.shape ? { shape: smallest.shape } : {}) };
    }));
}

/** The HPA that scales a workload: by kind and name when both are known, else by the dependency the engine records. */
function hpaFor(workload: PolicyResource, hpas: PolicyResource[]): PolicyResource | undefined {
    const name = readKnown(() => objectAt(workload.props.metadata)?.name);
    return hpas.find((hpa) => {
        const target = readKnown(() => objectAt(objectAt(hpa.props.spec)?.scaleTargetRef));
        if (name.known && target.known && objectAt(target.value)?.name === name.value && objectAt(target.value)?.kind === kindOf(workload.type)) return true;
        return Object.values(hpa.propertyDependencies).flat().some((d) => d.urn === workload.urn);
    });
}

function scheduledWorkloads(resources: PolicyResource[]): { workload: PolicyResource; request: PodRequest }[] {
    return resources.filter((r) => SCHEDULED.includes(r.type)).flatMap((workload) => {
        const pod = readKnown(() => podSpecOf(workload.type, workload.props));
        if (!pod.known) return [];
        const request = podRequestOf(pod.value);
        return request.cpuMillis > 0 || request.memoryMiB > 0 ? [{ workload, request }] : [];
    });
}

export const k8sNodeFit: StackValidationPolicy = {
    name: "k8s-node-fit",
    description: "One replica of every workload fits a node of the stack's EKS node groups or GKE node pools after the kubelet reservation, the eviction threshold and DaemonSet headroom (else no replica can ever be scheduled).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { nodeShapes: nodeShapesSchema } },
    validateStack: (args, reportViolation) => {
        const { nodeShapes } = args.getConfig<{ nodeShapes: NodeShapes }>();
        const pools = poolsOf(args.resources, nodeShapes);
        if (pools.length === 0) return args.notApplicable("the stack declares no node pool (GKE Autopilot, or a cluster managed elsewhere)");
        const known = pools.filter((p): p is Pool & { shape: NodeShape } => p.shape !== undefined);
        if (known.length === 0) return args.notApplicable("no node pool's machine type is known (node-pool-bounds reports it)");
        for (const { workload, request } of scheduledWorkloads(args.resources)) {
            if (known.some((p) => replicasPerNode(p.pool.platform, p.shape, request) >= 1)) continue;
            const largest = known.sort((a, b) => b.shape.vcpus - a.shape.vcpus)[0];
            const free = podAllocatable(largest.pool.platform, largest.shape);
            const fits = fittingTypes(largest.pool.platform, request, largest.type).slice(0, 3);
            reportViolation(finding(
                `${describe(workload)} requests ${describeRequest(request)} per replica, but ${describe(largest.resource)}'s ${largest.type} (${describeShape(largest.shape)}) leaves pods ` +
                `cpu ${formatMillis(free.cpuMillis)} / memory ${formatBytes(free.memoryMiB * MiB)} after the kubelet reservation, eviction threshold and DaemonSets, so no replica can be scheduled`,
                "one replica's requests fit the allocatable capacity of a node of the stack's pools",
                `${fits.length > 0 ? `use a node type that fits, e.g. ${fits.join(", ")}` : "use a larger node type"}, or request less per replica (on the ModelService: nodeInstanceType / nodeMachineType, or cpu/memory)`,
            ), workload.urn);
        }
    },
};

export const k8sNodeCapacity: StackValidationPolicy = {
    name: "k8s-node-capacity",
    description: "The replicas an HPA (or a fixed spec.replicas) may ask for fit the node pools at their maximum size; replicas beyond it would stay Pending.",
    enforcementLevel: "advisory",
    configSchema: { properties: { nodeShapes: nodeShapesSchema } },
    validateStack: (args, reportViolation) => {
        const { nodeShapes } = args.getConfig<{ nodeShapes: NodeShapes }>();
        const pools = poolsOf(args.resources, nodeShapes).filter((p) => p.shape !== undefined && p.pool.maxNodes !== undefined);
        if (pools.length === 0) return args.notApplicable("no node pool with a known machine type and maximum size");
        const hpas = args.resources.filter((r) => (K8S_HPA_TYPES as readonly string[]).includes(r.type));
        for (const { workload, request } of scheduledWorkloads(args.resources)) {
            const hpa = hpaFor(workload, hpas);
            const wanted = readKnown(() => (hpa ? objectAt(hpa.props.spec)?.maxReplicas : objectAt(workload.props.spec)?.replicas));
            if (!wanted.known || typeof wanted.value !== "number") continue;
            const capacity = pools.reduce((total, p) => total + replicasPerNode(p.pool.platform, p.shape as NodeShape, request) * (p.pool.maxNodes ?? 0), 0);
            // No replica fits at all: k8s-node-fit reports that cause, once.
            if (wanted.value <= capacity || capacity === 0) continue;
            const source = hpa ? `${describe(hpa)} may scale to ${wanted.value} replicas` : `spec.replicas is ${wanted.value}`;
            const nodes = pools.map((p) => `${p.pool.maxNodes} × ${p.type} (${replicasPerNode(p.pool.platform, p.shape as NodeShape, request)} per node)`).join(" + ");
            reportViolation(finding(
                `${describe(workload)}: ${source} of ${describeRequest(request)}, but the node pools at their maximum (${nodes}) hold ${capacity}; ${wanted.value - capacity} would stay Pending`,
                "the replica ceiling fits the node pools' maximum capacity",
                "raise the pools' maximum node count or node size (nodeMax, nodeInstanceType / nodeMachineType), or lower maxReplicas",
            ), workload.urn);
        }
    },
};

