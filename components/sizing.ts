/**
 * Per-backend sizing decisions, as plain functions: one declared size (cpu, memory) becomes what each backend
 * can actually provision. Tested without mocks.
 */

/** Millicores of a Kubernetes CPU quantity ("500m" → 500, "2" → 2000, "1.5" → 1500); NaN if malformed. */
export function cpuMillis(quantity: string): number {
    const milli = /^(\d+)m$/.exec(quantity);
    if (milli) return Number(milli[1]);
    return /^\d+(\.\d{1,3})?$/.test(quantity) ? Math.round(Number(quantity) * 1000) : NaN;
}

/** MiB of a Kubernetes memory quantity ("512Mi" → 512, "2Gi" → 2048); NaN if malformed. */
export function memoryMiB(quantity: string): number {
    const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
    if (!match) return NaN;
    return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/**
 * onnxruntime intra-op threads for a replica of `cpu`: its whole vCPUs, at least one. onnxruntime counts the
 * node's cores, not the container's CPU limit, and bench/results/session-options.json measured one thread per
 * granted vCPU as the best setting for a 2-vCPU pod, a 1-vCPU Cloud Run instance and a Lambda.
 */
export function onnxIntraOpThreads(cpu: string): number {
    return Math.max(1, Math.floor(cpuMillis(cpu) / 1000));
}

/** Lambda allocates one vCPU per 1,769 MB of memory; its memory range is 128–10,240 MB. */
export const LAMBDA_MB_PER_VCPU = 1769;
export const LAMBDA_MEMORY_RANGE = { min: 128, max: 10240 } as const;

/**
 * Lambda memory in MB: the declared memory, raised until Lambda grants at least the declared CPU, because
 * Lambda has no CPU setting of its own.
 */
export function lambdaMemoryMb(cpu: string, memory: string): number {
    const forCpu = Math.ceil((cpuMillis(cpu) / 1000) * LAMBDA_MB_PER_VCPU);
    return Math.max(LAMBDA_MEMORY_RANGE.min, memoryMiB(memory), forCpu);
}

/** Cloud Run's CPU choices and the memory each allows (MiB), from the Cloud Run limits documentation. */
export const CLOUD_RUN_CPU_MEMORY: Readonly<Record<string, { minMiB: number; maxMiB: number }>> = {
    "1": { minMiB: 128, maxMiB: 4096 },
    "2": { minMiB: 128, maxMiB: 8192 },
    "4": { minMiB: 2048, maxMiB: 16384 },
    "6": { minMiB: 4096, maxMiB: 24576 },
    "8": { minMiB: 4096, maxMiB: 32768 },
};

/** Why a size does not fit Cloud Run, or undefined when it fits. */
export function cloudRunSizeProblem(cpu: string, memory: string): string | undefined {
    const millis = cpuMillis(cpu);
    const cpuKey = Number.isInteger(millis / 1000) ? String(millis / 1000) : "";
    const allowed = CLOUD_RUN_CPU_MEMORY[cpuKey];
    if (!allowed) return `Cloud Run with concurrency offers whole CPUs only: ${Object.keys(CLOUD_RUN_CPU_MEMORY).join(", ")}`;
    const mib = memoryMiB(memory);
    if (mib < allowed.minMiB || mib > allowed.maxMiB) {
        return `Cloud Run with cpu ${cpuKey} allows memory ${allowed.minMiB}Mi to ${allowed.maxMiB}Mi`;
    }
    return undefined;
}

/** Why a size does not fit Lambda, or undefined when it fits. */
export function lambdaSizeProblem(cpu: string, memory: string): string | undefined {
    const mb = lambdaMemoryMb(cpu, memory);
    if (mb > LAMBDA_MEMORY_RANGE.max) {
        return `Lambda needs ${mb} MB for it, above its ${LAMBDA_MEMORY_RANGE.max} MB (6 vCPU) maximum`;
    }
    return undefined;
}

/**
 * Seconds the service gets to drain: Kubernetes waits terminationGracePeriodSeconds in total, of which the preStop
 * sleep comes first (so endpoints controllers stop routing); SHUTDOWN_GRACE_SECONDS is exactly the remainder, so the
 * service finishes in-flight requests before the kubelet's SIGKILL.
 */
export function drainTiming(requestTimeoutSeconds: number): { preStopSleepSeconds: number; terminationGracePeriodSeconds: number; shutdownGraceSeconds: number } {
    const preStopSleepSeconds = 5;
    const shutdownGraceSeconds = Math.max(10, requestTimeoutSeconds);
    return { preStopSleepSeconds, shutdownGraceSeconds, terminationGracePeriodSeconds: preStopSleepSeconds + shutdownGraceSeconds };
}

/** PodDisruptionBudget: keep at least one pod during voluntary disruptions, never block a drain of a single replica. */
export function podDisruptionBudget(minReplicas: number): { minAvailable?: number; maxUnavailable?: number } {
    return minReplicas >= 2 ? { minAvailable: minReplicas - 1 } : { maxUnavailable: 1 };
}

/** HPA behaviour: react to load within a minute, give capacity back slowly so a bursty queue does not flap. */
export function hpaBehavior(maxReplicas: number) {
    return {
        scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: "Max",
            policies: [
                { type: "Percent", value: 100, periodSeconds: 30 },
                { type: "Pods", value: Math.max(2, Math.ceil(maxReplicas / 4)), periodSeconds: 30 },
            ],
        },
        scaleDown: {
            stabilizationWindowSeconds: 300,
            selectPolicy: "Min",
            policies: [{ type: "Percent", value: 20, periodSeconds: 60 }],
        },
    };
}
