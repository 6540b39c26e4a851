/**
 * Per-backend sizing decisions, as plain functions: one declared size (cpu, memory) becomes what each backend
 * can actually provision. Tested without mocks. The providers' limits themselves live in policies/platform/.
 */
import { lambdaMemoryMb as lambdaMemoryMbFor } from "../policies/platform/limits";
import { cpuMillis, memoryMiB, MiB } from "../policies/platform/quantity";

/**
 * onnxruntime intra-op threads for a replica of `cpu`: its whole vCPUs, at least one. onnxruntime counts the
 * node's cores, not the container's CPU limit, and bench/results/session-options.json measured one thread per
 * granted vCPU as the best setting for a 2-vCPU pod, a 1-vCPU Cloud Run instance and a Lambda.
 */
export function onnxIntraOpThreads(cpu: string): number {
    return Math.max(1, Math.floor(cpuMillis(cpu) / 1000));
}

/**
 * Lambda memory in MB for a declared size (config quantities): the platform rule of
 * policies/platform/limits.ts applied to the stack's strings.
 */
export function lambdaMemoryMb(cpu: string, memory: string): number {
    return lambdaMemoryMbFor(cpuMillis(cpu) / 1000, memoryMiB(memory) * MiB);
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
