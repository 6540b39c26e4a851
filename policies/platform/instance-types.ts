/**
 * Node shapes and what a pod can actually request on them: one table of EC2 instance types and GCE machine types,
 * the providers' published kubelet reservations (EKS AL2023 and GKE), and an allowance for the DaemonSets every
 * node runs. Dependency-free, shared by the config checks and the policy pack. A type missing here is described
 * by the user (see {@link parseNodeShape}), never guessed.
 */
import { formatBytes, MiB, parseQuantity } from "./quantity";
import { KUBERNETES_DEFAULT_MAX_PODS } from "./limits";

/** One node's hardware, as the kubelet sees it before reservations. */
export interface NodeShape {
    vcpus: number;
    /** Nominal memory of the type, MiB. */
    memoryMiB: number;
    arch: "x86_64" | "arm64";
    /** EKS with the VPC CNI: ENIs × (IPv4 addresses per ENI − 1) + 2; undefined = the Kubernetes default 110. */
    maxPods?: number;
}

/** Kubernetes platforms whose nodes this module sizes. */
export type NodePlatform = "eks" | "gke";

const EC2_SIZES: [size: string, vcpus: number, enis: number, ipsPerEni: number][] = [
    ["large", 2, 3, 10], ["xlarge", 4, 4, 15], ["2xlarge", 8, 4, 15], ["4xlarge", 16, 8, 30],
    ["8xlarge", 32, 8, 30], ["12xlarge", 48, 8, 30], ["16xlarge", 64, 15, 50],
];
/** EC2 families: memory GiB per vCPU and architecture (the ENI limits above hold for all of them). */
const EC2_FAMILIES: Record<string, [gibPerVcpu: number, arch: NodeShape["arch"]]> = {
    m5: [4, "x86_64"], m6i: [4, "x86_64"], m7i: [4, "x86_64"], m6a: [4, "x86_64"], m7a: [4, "x86_64"],
    c5: [2, "x86_64"], c6i: [2, "x86_64"], c7i: [2, "x86_64"], c6a: [2, "x86_64"], c7a: [2, "x86_64"],
    r5: [8, "x86_64"], r6i: [8, "x86_64"], r7i: [8, "x86_64"],
    m6g: [4, "arm64"], m7g: [4, "arm64"], m8g: [4, "arm64"], c6g: [2, "arm64"], c7g: [2, "arm64"], c8g: [2, "arm64"],
    r6g: [8, "arm64"], r7g: [8, "arm64"], r8g: [8, "arm64"],
};
const T3: [type: string, vcpus: number, gib: number, enis: number, ipsPerEni: number][] = [
    ["t3.medium", 2, 4, 3, 6], ["t3.large", 2, 8, 3, 12], ["t3.xlarge", 4, 16, 4, 15], ["t3.2xlarge", 8, 32, 4, 15],
];

/** EC2 instance types an EKS managed node group may use, with the VPC CNI's pod limit. */
export const EC2_INSTANCE_TYPES: Readonly<Record<string, NodeShape>> = Object.fromEntries([
    ...Object.entries(EC2_FAMILIES).flatMap(([family, [gibPerVcpu, arch]]) => EC2_SIZES.map(([size, vcpus, enis, ips]) =>
        [`${family}.${size}`, { vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, arch, maxPods: enis * (ips - 1) + 2 }])),
    ...T3.map(([type, vcpus, gib, enis, ips]) => [type, { vcpus, memoryMiB: gib * 1024, arch: "x86_64", maxPods: enis * (ips - 1) + 2 }]),
]);

/** GCE families: vCPU counts offered and memory GiB per vCPU. */
const GCE_FAMILIES: Record<string, [vcpus: number[], gibPerVcpu: number, arch: NodeShape["arch"]]> = {
    "e2-standard": [[2, 4, 8, 16, 32], 4, "x86_64"], "e2-highmem": [[2, 4, 8, 16], 8, "x86_64"], "e2-highcpu": [[2, 4, 8, 16, 32], 1, "x86_64"],
    "n2-standard": [[2, 4, 8, 16, 32, 48, 64], 4, "x86_64"], "n2-highmem": [[2, 4, 8, 16, 32, 48, 64], 8, "x86_64"], "n2-highcpu": [[2, 4, 8, 16, 32, 48, 64], 1, "x86_64"],
    "n2d-standard": [[2, 4, 8, 16, 32, 48, 64], 4, "x86_64"], "n2d-highmem": [[2, 4, 8, 16, 32, 48, 64], 8, "x86_64"], "n2d-highcpu": [[2, 4, 8, 16, 32, 48, 64], 1, "x86_64"],
    "c2-standard": [[4, 8, 16, 30, 60], 4, "x86_64"],
    "c3-standard": [[4, 8, 22, 44], 4, "x86_64"], "c3-highcpu": [[4, 8, 22, 44], 2, "x86_64"], "c3-highmem": [[4, 8, 22, 44], 8, "x86_64"],
    "t2a-standard": [[1, 2, 4, 8, 16, 32, 48], 4, "arm64"], "c4a-standard": [[1, 2, 4, 8, 16, 32, 48, 64, 72], 4, "arm64"],
};

/** GCE machine types a GKE Standard node pool may use. */
export const GCE_MACHINE_TYPES: Readonly<Record<string, NodeShape>> = Object.fromEntries(
    Object.entries(GCE_FAMILIES).flatMap(([family, [counts, gibPerVcpu, arch]]) =>
        counts.map((vcpus) => [`${family}-${vcpus}`, { vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, arch }])),
);

/** The table of one platform. */
export function nodeTypes(platform: NodePlatform): Readonly<Record<string, NodeShape>> {
    return platform === "eks" ? EC2_INSTANCE_TYPES : GCE_MACHINE_TYPES;
}

/**
 * Memory the kernel and firmware keep before the kubelet reports capacity: an m5.large (8 GiB) reports about
 * 7.57 GiB. Not published per type; 5 % is the allowance.
 */
export const KERNEL_MEMORY_SHARE = 0.05;
/** Both providers evict pods when less than 100 MiB is free (evictionHard memory.available). */
export const EVICTION_HARD_MIB = 100;

/**
 * Requests of the DaemonSets on every node, not published as one figure, so an allowance: EKS runs aws-node
 * (25m), kube-proxy (100m) and eks-pod-identity-agent; GKE Standard runs kube-proxy, fluentbit-gke,
 * gke-metrics-agent, pdcsi-node and netd. Prometheus' node-exporter (no requests by default) fits in it.
 */
export const DAEMONSET_HEADROOM: Readonly<Record<NodePlatform, { cpuMillis: number; memoryMiB: number; pods: number }>> = {
    eks: { cpuMillis: 200, memoryMiB: 256, pods: 4 },
    gke: { cpuMillis: 300, memoryMiB: 384, pods: 8 },
};

/** CPU both EKS (AL2023) and GKE reserve: 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % above. */
export function reservedCpuMillis(vcpus: number): number {
    const tiers: [upTo: number, share: number][] = [[1, 0.06], [2, 0.01], [4, 0.005], [Infinity, 0.0025]];
    let reserved = 0;
    let from = 0;
    for (const [upTo, share] of tiers) {
        reserved += Math.max(0, Math.min(vcpus, upTo) - from) * 1000 * share;
        from = upTo;
    }
    return reserved;
}

/** Memory GKE reserves (MiB): 255 MiB under 1 GiB; else 25 % of the first 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % up to 128 GiB, 2 % above. */
export function gkeReservedMemoryMiB(memoryMiB: number): number {
    if (memoryMiB < 1024) return 255;
    const tiers: [upToGiB: number, share: number][] = [[4, 0.25], [8, 0.2], [16, 0.1], [128, 0.06], [Infinity, 0.02]];
    let reserved = 0;
    let from = 0;
    for (const [upTo, share] of tiers) {
        reserved += Math.max(0, Math.min(memoryMiB, upTo * 1024) - from * 1024) * share;
        from = upTo;
    }
    return reserved;
}

/** Memory EKS AL2023 (nodeadm) reserves for the kubelet: 11 MiB per pod the node may hold, plus 255 MiB. */
export function eksReservedMemoryMiB(maxPods: number): number {
    return 11 * maxPods + 255;
}

/** What pods of the service can request on one node: capacity minus the kubelet reservation, eviction threshold and DaemonSets. */
export function podAllocatable(platform: NodePlatform, shape: NodeShape): { cpuMillis: number; memoryMiB: number } {
    const headroom = DAEMONSET_HEADROOM[platform];
    const reservedMemory = platform === "eks" ? eksReservedMemoryMiB(shape.maxPods ?? KUBERNETES_DEFAULT_MAX_PODS) : gkeReservedMemoryMiB(shape.memoryMiB);
    return {
        cpuMillis: Math.floor(shape.vcpus * 1000 - reservedCpuMillis(shape.vcpus) - headroom.cpuMillis),
        memoryMiB: Math.floor(shape.memoryMiB * (1 - KERNEL_MEMORY_SHARE) - reservedMemory - EVICTION_HARD_MIB - headroom.memoryMiB),
    };
}

/** How many replicas of one size fit on one node (0 = not even one): by CPU, by memory and by the node's pod limit. */
export function replicasPerNode(platform: NodePlatform, shape: NodeShape, request: { cpuMillis: number; memoryMiB: number }): number {
    const free = podAllocatable(platform, shape);
    const podSlots = (shape.maxPods ?? KUBERNETES_DEFAULT_MAX_PODS) - DAEMONSET_HEADROOM[platform].pods;
    return Math.max(0, Math.min(Math.floor(free.cpuMillis / request.cpuMillis), Math.floor(free.memoryMiB / request.memoryMiB), podSlots));
}

/**
 * Types of the table that hold at least one replica, best first: the same family as `current` (e.g. m6i.*), then
 * the same architecture; smallest first within each.
 */
export function fittingTypes(platform: NodePlatform, request: { cpuMillis: number; memoryMiB: number }, current?: string): string[] {
    const table = nodeTypes(platform);
    const family = current ? familyOf(current) : undefined;
    const arch = current ? table[current]?.arch : undefined;
    const rank = (type: string) => (familyOf(type) === family ? 0 : table[type].arch === (arch ?? "x86_64") ? 1 : 2);
    return Object.keys(table)
        .filter((type) => replicasPerNode(platform, table[type], request) >= 1)
        .sort((a, b) => rank(a) - rank(b) || table[a].vcpus - table[b].vcpus || table[a].memoryMiB - table[b].memoryMiB || a.localeCompare(b));
}

/** "m6i" of "m6i.large", "e2-standard" of "e2-standard-8". */
function familyOf(type: string): string {
    return type.includes(".") ? type.slice(0, type.indexOf(".")) : type.replace(/-\d+$/, "");
}

/**
 * A node the table does not know, as the user describes it: "<vCPUs>/<memory>[/<maxPods>][/arm64]", e.g. "16/64Gi",
 * "16/64Gi/234" (maxPods matters on EKS, where the kubelet reserves memory per pod) or "16/64Gi/234/arm64" (the
 * image is built for the nodes' architecture; x86_64 unless said). Returns the shape or why not.
 */
export function parseNodeShape(text: string): NodeShape | string {
    const parts = text.split("/").map((part) => part.trim());
    const last = parts[parts.length - 1];
    const arch: NodeShape["arch"] = last === "arm64" || last === "x86_64" ? last : "x86_64";
    if (last === "arm64" || last === "x86_64") parts.pop();
    const vcpus = Number(parts[0]);
    const bytes = parts[1] === undefined ? undefined : parseQuantity(parts[1]);
    const maxPods = parts[2] === undefined ? undefined : Number(parts[2]);
    if (parts.length < 2 || parts.length > 3 || !Number.isInteger(vcpus) || vcpus < 1) return `is not "<vCPUs>/<memory>[/<maxPods>][/arm64]" with whole vCPUs, e.g. "16/64Gi"`;
    if (bytes === undefined || bytes < 1024 * MiB) return `memory "${parts[1]}" is not a quantity of at least 1Gi, e.g. 64Gi`;
    if (maxPods !== undefined && !(Number.isInteger(maxPods) && maxPods >= 1)) return `maxPods "${parts[2]}" is not a whole number`;
    return { vcpus, memoryMiB: bytes / MiB, arch, ...(maxPods !== undefined ? { maxPods } : {}) };
}

/** A shape for messages: "2 vCPU / 8Gi". */
export function describeShape(shape: NodeShape): string {
    return `${shape.vcpus} vCPU / ${formatBytes(shape.memoryMiB * MiB)}`;
}
