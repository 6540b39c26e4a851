import { describeShape, fittingTypes, nodeTypes, podAllocatable, replicasPerNode, type NodePlatform, type NodeShape } from "../../policies/platform/instance-types";
import { autopilotProblems, GKE_AUTOPILOT } from "../../policies/platform/limits";
import { cpuMillis, formatBytes, formatMillis, GiB, memoryMiB, MiB } from "../../policies/platform/quantity";
import type { ServiceSpec } from "../spec";
import { error, key, warning, type Finding } from "./findings";

/**
 * Will the pods ever run? Checked before anything is created, from the replica's requests and the node type:
 * one replica must fit a node after the provider's kubelet reservation and the DaemonSets, the node group's
 * maximum should hold maxReplicas, and GKE Autopilot must accept the requests as declared.
 */

/** A new cluster's node group as the stack declares it. */
export interface NodeGroup {
    platform: NodePlatform;
    /** The key naming the type: nodeInstanceType (EKS) or nodeMachineType (GKE Standard). */
    typeKey: "nodeInstanceType" | "nodeMachineType";
    type: string;
    /** The user's description of a type the table lacks. */
    shape?: NodeShape;
    nodeCount: { min: number; max: number };
}

const RESERVATION = { eks: "the EKS AL2023 kubelet reservation", gke: "GKE's kubelet reservation" } as const;

/** Findings about one replica of `service` on nodes of `group`. */
export function nodeFitFindings(service: ServiceSpec, group: NodeGroup): Finding[] {
    const request = { cpuMillis: cpuMillis(service.cpu), memoryMiB: memoryMiB(service.memory) };
    const shape = group.shape ?? nodeTypes(group.platform)[group.type];
    const typeKey = key(group.typeKey);
    if (!shape) {
        const known = fittingTypes(group.platform, request).slice(0, 3);
        return [error([[typeKey, group.type]], `is not in the node table (policies/platform/instance-types.ts), so whether a replica fits cannot be checked; describe it with ${key("nodeInstanceShape")} "<vCPUs>/<memory>${group.platform === "eks" ? "[/<maxPods>]" : ""}[/arm64]" (e.g. "8/32Gi"${group.platform === "eks" ? ', or "8/32Gi/58" with the VPC CNI\'s pod limit' : ""}) or use a listed type${known.length > 0 ? ` such as ${known.join(", ")}` : ""}`)];
    }
    const perNode = replicasPerNode(group.platform, shape, request);
    if (perNode === 0) {
        const free = podAllocatable(group.platform, shape);
        const fits = fittingTypes(group.platform, request, group.shape ? undefined : group.type)[0];
        const fix = [
            ...(fits ? [`use ${typeKey} ${fits} (${perNodeText(replicasPerNode(group.platform, nodeTypes(group.platform)[fits], request))})`] : []),
            ...(free.cpuMillis > 0 && free.memoryMiB > 0 ? [`lower ${key("cpu")} / ${key("memory")} to at most ${formatMillis(free.cpuMillis)} / ${formatBytes(free.memoryMiB * MiB)}`] : []),
        ];
        return [error([[key("cpu"), service.cpu], [key("memory"), service.memory], [typeKey, group.type]],
            `: one replica does not fit one node. A ${group.type} (${describeShape(shape)}) leaves ${formatMillis(free.cpuMillis)} CPU / ${formatBytes(Math.max(0, free.memoryMiB) * MiB)} for pods after ${RESERVATION[group.platform]}, the eviction threshold and DaemonSet headroom, so no replica could ever be scheduled; ${fix.join(", or ") || "no listed type fits"}`)];
    }
    const capacity = perNode * group.nodeCount.max;
    if (service.scaling.max > capacity) {
        return [warning([[key("maxReplicas"), service.scaling.max], [key("nodeMax"), group.nodeCount.max]],
            `: ${group.nodeCount.max} nodes of ${group.type} hold ${capacity} replicas (${perNodeText(perNode)}); HPA replicas beyond that would stay Pending. Raise ${key("nodeMax")} to ${Math.ceil(service.scaling.max / perNode)}, use a larger ${typeKey} or lower ${key("maxReplicas")}`)];
    }
    return [];
}

/** Findings about the replica's requests on GKE Autopilot, with the nearest requests it accepts as they are. */
export function autopilotFindings(service: ServiceSpec): Finding[] {
    const cores = cpuMillis(service.cpu) / 1000;
    const bytes = memoryMiB(service.memory) * MiB;
    const problems = autopilotProblems(cores, bytes);
    if (problems.length === 0) return [];
    const a = GKE_AUTOPILOT;
    const cpu = Math.min(a.maxCpuMillis, Math.max(a.minCpuMillis, Math.ceil((cores * 1000) / a.cpuStepMillis) * a.cpuStepMillis));
    const memory = Math.min((cpu / 1000) * a.maxGiBPerVcpu * GiB, Math.max(a.minMemoryMiB * MiB, (cpu / 1000) * a.minGiBPerVcpu * GiB, bytes));
    return [error([[key("cpu"), service.cpu], [key("memory"), service.memory], [key("gkeMode"), "autopilot"]],
        `: ${problems.join("; ")}. Autopilot would rewrite the requests (and bill the rewritten ones); use cpu ${formatMillis(cpu)} / memory ${formatBytes(Math.ceil(memory / MiB) * MiB)}, or gkeMode standard`)];
}

function perNodeText(count: number): string {
    return `${count} ${count === 1 ? "replica" : "replicas"} per node`;
}
