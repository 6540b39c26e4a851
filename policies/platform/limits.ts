/**
 * The providers' hard limits and per-platform constants, from their documentation, as plain data and pure
 * functions. Dependency-free: the config parser refuses with them, the components size with them, the advisor
 * estimates with them and the policy pack checks rendered resources with them, so the four cannot drift.
 * Units: cpu in cores, memory in bytes (what {@link parseQuantity} returns), unless a name says otherwise.
 */
import { formatBytes, GiB, MiB } from "./quantity";

/** AWS Lambda (Lambda quotas; "Configuring function memory"). */
export const LAMBDA = {
    /** memorySize range in MB. */
    memoryMb: { min: 128, max: 10240 },
    /** Lambda grants one full vCPU per 1,769 MB of memory, and has no CPU setting of its own. */
    mbPerVcpu: 1769,
    /** vCPUs at 10,240 MB. */
    maxVcpus: 6,
    /** Longest invocation. */
    maxTimeoutSeconds: 900,
    /** Reserving concurrency must leave at least 100 unreserved executions in the account (default quota 1,000). */
    unreservedConcurrencyFloor: 100,
    defaultAccountConcurrency: 1000,
} as const;

/** API Gateway HTTP API: the integration timeout cannot exceed 30 seconds. */
export const API_GATEWAY_HTTP_API = { maxIntegrationTimeoutSeconds: 30 } as const;

/**
 * Cloud Run services ("Configure CPU limits", "Configure memory limits"). The program always deploys the
 * second-generation execution environment, which needs at least 512 MiB and whole vCPUs (fractional cpu needs
 * the first generation, concurrency 1 and request-based billing).
 */
export const CLOUD_RUN = {
    /** Whole vCPU counts and the memory each allows, in MiB. */
    cpuMemoryMiB: {
        1: { min: 128, max: 4096 },
        2: { min: 128, max: 8192 },
        4: { min: 2048, max: 16384 },
        6: { min: 4096, max: 24576 },
        8: { min: 4096, max: 32768 },
    } as Readonly<Record<number, { min: number; max: number }>>,
    /** Fractional cpu range (first generation only). */
    fractionalCpu: { min: 0.08, max: 1 },
    gen2MinMemoryMiB: 512,
    maxTimeoutSeconds: 3600,
    maxConcurrency: 1000,
} as const;

/**
 * Everything Cloud Run would reject about one container's cpu/memory pair, or [] when it deploys.
 * `concurrency` is the service's max requests per instance (fractional cpu needs 1).
 */
export function cloudRunSizeProblems(cpu: number, memory: number, opts: { secondGeneration: boolean; concurrency?: number }): string[] {
    const problems: string[] = [];
    const wholeCpus = Object.keys(CLOUD_RUN.cpuMemoryMiB).map(Number);
    const mib = memory / MiB;
    if (opts.secondGeneration && mib < CLOUD_RUN.gen2MinMemoryMiB) {
        problems.push(`memory ${formatBytes(memory)} is below the ${CLOUD_RUN.gen2MinMemoryMiB}Mi the second-generation execution environment needs`);
    }
    if (cpu >= CLOUD_RUN.fractionalCpu.min && cpu < 1) {
        if (opts.secondGeneration) {
            problems.push(`cpu ${cpu} is fractional, which Cloud Run allows only in the first-generation environment; use one of ${wholeCpus.join(", ")}`);
            return problems;
        }
        if (opts.concurrency !== undefined && opts.concurrency !== 1) problems.push(`cpu ${cpu} is fractional, which needs concurrency 1 (it is ${opts.concurrency})`);
        if (mib > 1024) problems.push(`memory ${formatBytes(memory)} needs at least 1 vCPU, cpu is ${cpu}`);
        else if (mib > 512 && cpu < 0.5) problems.push(`memory ${formatBytes(memory)} needs at least 0.5 vCPU, cpu is ${cpu}`);
        return problems;
    }
    const allowed = CLOUD_RUN.cpuMemoryMiB[cpu];
    if (!allowed) {
        problems.push(`cpu ${cpu} is not one of Cloud Run's ${wholeCpus.join(", ")} vCPUs`);
        return problems;
    }
    if (mib < allowed.min || mib > allowed.max) problems.push(`memory ${formatBytes(memory)} is outside the ${allowed.min}Mi to ${allowed.max}Mi Cloud Run allows with cpu ${cpu}`);
    return problems;
}

/**
 * Lambda memory in MB for a declared size: the declared memory, raised until Lambda grants at least the declared
 * cpu, never below Lambda's minimum.
 */
export function lambdaMemoryMb(cpu: number, memory: number): number {
    const forCpu = Math.ceil(cpu * LAMBDA.mbPerVcpu);
    return Math.max(LAMBDA.memoryMb.min, Math.ceil(memory / MiB), forCpu);
}

/** Why a declared size cannot run on Lambda, or undefined when it can. */
export function lambdaSizeProblem(cpu: number, memory: number): string | undefined {
    const mb = lambdaMemoryMb(cpu, memory);
    if (mb > LAMBDA.memoryMb.max) return `Lambda needs ${mb} MB for it, above its ${LAMBDA.memoryMb.max} MB (${LAMBDA.maxVcpus} vCPU) maximum`;
    return undefined;
}

/**
 * GKE Autopilot, general-purpose compute class ("Resource requests in Autopilot"): per-pod minimum requests,
 * cpu in 250m steps, memory between 1 and 6.5 GiB per vCPU. Autopilot silently rewrites requests outside these
 * rules (and bills the rewritten ones), so the program refuses them instead of deploying something else.
 */
export const GKE_AUTOPILOT = {
    minCpuMillis: 250,
    cpuStepMillis: 250,
    minMemoryMiB: 512,
    minGiBPerVcpu: 1,
    maxGiBPerVcpu: 6.5,
    maxCpuMillis: 30000,
    maxMemoryMiB: 110 * 1024,
} as const;

/** Everything GKE Autopilot would rewrite about a pod's cpu (cores) / memory (bytes) requests, or []. */
export function autopilotProblems(cpu: number, memory: number): string[] {
    const a = GKE_AUTOPILOT;
    const millis = Math.round(cpu * 1000);
    const gib = memory / GiB;
    const problems: string[] = [];
    if (millis < a.minCpuMillis) problems.push(`cpu ${millis}m is below Autopilot's ${a.minCpuMillis}m minimum`);
    else if (millis % a.cpuStepMillis !== 0) problems.push(`cpu ${millis}m is not a multiple of ${a.cpuStepMillis}m`);
    if (millis > a.maxCpuMillis) problems.push(`cpu ${millis}m is above Autopilot's ${a.maxCpuMillis / 1000} vCPU maximum`);
    if (memory / MiB < a.minMemoryMiB) problems.push(`memory ${formatBytes(memory)} is below Autopilot's ${a.minMemoryMiB}Mi minimum`);
    if (memory / MiB > a.maxMemoryMiB) problems.push(`memory ${formatBytes(memory)} is above Autopilot's ${a.maxMemoryMiB / 1024}Gi maximum`);
    const ratio = gib / cpu;
    if (ratio < a.minGiBPerVcpu || ratio > a.maxGiBPerVcpu) {
        problems.push(`memory ${formatBytes(memory)} for cpu ${cpu} is ${Number(ratio.toFixed(2))} GiB per vCPU; Autopilot needs ${a.minGiBPerVcpu} to ${a.maxGiBPerVcpu}`);
    }
    return problems;
}

/** Kubernetes: the kubelet's default pod limit when a node type sets none. */
export const KUBERNETES_DEFAULT_MAX_PODS = 110;
