/**
 * Capacity model: from requests per second in an hour to the replicas, environments or instances that
 * serve it, and the cold starts that scaling causes. Pure functions of numbers; hours wrap around the
 * week because a profile describes a week that repeats (Sunday 23:00 is followed by Monday 00:00).
 */
import type { Assumptions, ServiceFacts } from "./types";

/** ceil that ignores floating-point dust, so 3.0000000001 replicas stays 3. */
export function ceilUnits(x: number): number {
    return Math.ceil(x - 1e-9);
}

/** Requests per second one replica (or instance) with `vcpu` serves at the target utilisation. */
export function unitCapacityRps(facts: ServiceFacts, vcpu: number, a: Assumptions): number {
    return facts.rpsPerVcpu * vcpu * a.targetUtilisation;
}

/** HPA-style replica count: enough for the load at target utilisation, never below the floor. */
export function replicasFor(rps: number, capacityRps: number, minReplicas: number): number {
    return Math.max(minReplicas, ceilUnits(rps / capacityRps));
}

/** Nodes for a replica count: replicas per node from the node's vCPU left after system pods. */
export function nodesFor(replicas: number, nodeVcpu: number, a: Assumptions): number {
    const podsPerNode = Math.floor((nodeVcpu - a.systemReservedVcpuPerNode) / a.replica.vcpu);
    if (podsPerNode < 1) {
        throw new Error(`a node with ${nodeVcpu} vCPU cannot hold a ${a.replica.vcpu}-vCPU replica`);
    }
    return Math.max(a.minNodes, ceilUnits(replicas / podsPerNode));
}

/**
 * Lambda runs one request per environment. Requests in flight follow a Poisson distribution with mean
 * rps·duration (an M/G/inf queue), so the hour needs the mean plus three standard deviations of it.
 */
export function lambdaEnvironmentsFor(rps: number, durationMs: number): number {
    const meanInFlight = (rps * durationMs) / 1000;
    return rps > 0 ? Math.max(1, ceilUnits(meanInFlight + 3 * Math.sqrt(meanInFlight))) : 0;
}

/** Cloud Run instances serve many requests each; the CPU, not the concurrency setting, is the limit. */
export function instancesFor(rps: number, capacityRps: number, minInstances: number): number {
    return rps > 0 ? Math.max(minInstances, 1, ceilUnits(rps / capacityRps)) : minInstances;
}

/**
 * Cold starts in each hour for a platform that scales to zero and reclaims idle copies.
 * Two causes: scale-out (more copies than the hour before), and idle expiry — with Poisson arrivals
 * spread over n copies, a request finds its copy reclaimed when the gap before it exceeds the keep-alive,
 * which happens with probability exp(-(rps/n)·keepAlive).
 */
export function coldStartsByHour(rps: readonly number[], units: readonly number[], idleKeepSeconds: number): number[] {
    return rps.map((r, h) => {
        const previous = units[(h - 1 + units.length) % units.length];
        const scaleOut = Math.max(0, units[h] - previous);
        const idleExpiry = r > 0 && units[h] > 0 ? r * 3600 * Math.exp(-(r / units[h]) * idleKeepSeconds) : 0;
        return scaleOut + idleExpiry;
    });
}

/** Units started per hour by scale-out, for platforms whose starts users never wait for. */
export function startsByHour(units: readonly number[]): number[] {
    return units.map((n, h) => Math.max(0, n - units[(h - 1 + units.length) % units.length]));
}

/**
 * Seconds in the hour during which n instances are billed under request-based billing: an instance
 * is billed while it has a request in flight, rounded up to the billing granularity. With Poisson
 * arrivals at rps/n per instance, the share of time an instance is busy is 1 - exp(-(rps/n)·d).
 */
export function billedInstanceSeconds(rps: number, instances: number, durationMs: number, granularityMs: number): number {
    if (rps <= 0 || instances <= 0) return 0;
    const billedDurationS = (Math.ceil(durationMs / granularityMs) * granularityMs) / 1000;
    return instances * 3600 * (1 - Math.exp(-(rps / instances) * billedDurationS));
}

/** Lambda memory: enough for the measured peak RSS with headroom, and at least one full vCPU's worth. */
export function lambdaMemoryMb(facts: ServiceFacts, a: Assumptions): number {
    return Math.max(a.lambda.minMemoryMb, Math.ceil(facts.peakRssMb * a.lambda.rssHeadroom));
}

/**
 * The p99 a user sees: while cold requests are rarer than 1 in 100, the warm p99 measured by the
 * benchmark; beyond that the 99th percentile falls among cold requests (cold start + warm run).
 */
export function p99WithColdStarts(coldStarts: number, requests: number, coldStartMs: number, facts: ServiceFacts, a: Assumptions): number {
    const coldFraction = requests > 0 ? coldStarts / requests : 0;
    return coldFraction > a.coldFractionForP99 ? coldStartMs + facts.warmDurationMs : facts.warmP99Ms;
}
