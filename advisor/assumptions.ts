/** The sizing and platform behaviour behind every estimate; docs/advisor.md explains each choice. */
import { LAMBDA } from "../policies/platform/limits";
import type { Assumptions } from "./types";

export const DEFAULT_ASSUMPTIONS: Assumptions = {
    // A benchmark core is taken as one cloud vCPU (a cloud vCPU is usually one hyperthread, so this leans optimistic).
    vcpuPerBenchCore: 1,
    // HPA CPU target and Cloud Run's default scale-out CPU target: headroom for bursts inside the hour.
    targetUtilisation: 0.6,
    replica: { vcpu: 1, memoryGib: 2 },
    // Two replicas on two nodes survive the loss of one node or zone.
    minReplicas: 2,
    minNodes: 2,
    // kubelet, kube-proxy, CNI and logging daemons take roughly half a vCPU per node.
    systemReservedVcpuPerNode: 0.5,
    lambda: {
        // 1,769 MB is where Lambda grants one full vCPU, the unit the benchmark measured.
        minMemoryMb: LAMBDA.mbPerVcpu,
        rssHeadroom: 1.25,
        // Observed, not documented: idle environments are usually reclaimed after 5-15 minutes.
        idleKeepSeconds: 600,
        // Synchronous invocation payload limit.
        payloadLimitBytes: 6 * 1024 * 1024,
    },
    cloudRun: {
        vcpu: 1,
        memoryGib: 2,
        // Documented: idle instances may be kept for up to 15 minutes.
        idleKeepSeconds: 900,
        billingGranularityMs: 100,
        // HTTP/1 request size limit.
        payloadLimitBytes: 32 * 1024 * 1024,
    },
    coldFractionForP99: 0.01,
    defaultResponseBytes: 256,
};
