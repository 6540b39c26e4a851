/** From a profile, the service's measured facts and the price table to one estimate per backend. */
import { p99WithColdStarts, startsByHour, unitCapacityRps } from "./capacity";
import { eksHourCost, gkeAutopilotHourCost, type KubernetesHourCost, replicasByHour } from "./kubernetes";
import { cloudRunOnDemand, cloudRunScheduled, lambdaOnDemand, lambdaScheduled, type ServerlessHours } from "./serverless";
import type { Assumptions, BackendEstimate, BackendId, HourEstimate, PriceTable, ServiceFacts, TrafficProfile } from "./types";

export const HOURS_PER_MONTH = 730;
const HOURS_PER_WEEK = 168;

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

export function monthlyFromWeekly(weeklyUsd: number): number {
    return (weeklyUsd * HOURS_PER_MONTH) / HOURS_PER_WEEK;
}

interface Inputs {
    profile: TrafficProfile;
    facts: ServiceFacts;
    a: Assumptions;
}

interface Parts {
    backend: BackendId;
    cloud: "aws" | "gcp";
    region: string;
    unitName: BackendEstimate["unitName"];
    hours: HourEstimate[];
    coldStartMs: number;
    podStarts: number[];
    settings: string[];
    payloadLimitBytes?: { bytes: number; platform: string };
}

function summarise(parts: Parts, { profile, facts, a }: Inputs): BackendEstimate {
    const requests = sum(profile.rps_by_hour) * 3600;
    const coldStarts = sum(parts.hours.map((h) => h.coldStarts));
    const p99Ms = p99WithColdStarts(coldStarts, requests, parts.coldStartMs, facts, a);
    const limit = parts.payloadLimitBytes;
    const ineligible =
        limit && profile.payload_bytes > limit.bytes
            ? `payload of ${profile.payload_bytes} bytes is over the ${limit.platform} request limit of ${limit.bytes} bytes`
            : undefined;
    return {
        backend: parts.backend,
        cloud: parts.cloud,
        region: parts.region,
        unitName: parts.unitName,
        hours: parts.hours,
        monthlyCostUsd: monthlyFromWeekly(sum(parts.hours.map((h) => h.costUsd))),
        coldStartsPerDay: coldStarts / 7,
        podStartsPerDay: sum(parts.podStarts) / 7,
        p99Ms,
        meetsSlo: !ineligible && p99Ms <= profile.latency_slo_ms_p99,
        ...(ineligible ? { ineligible } : {}),
        settings: parts.settings,
    };
}

function kubernetesHours(rps: readonly number[], replicas: readonly number[], hourCost: KubernetesHourCost, overflow?: ServerlessHours, overflowRps?: readonly number[]): HourEstimate[] {
    return rps.map((r, h) => ({
        rps: r,
        units: replicas[h],
        overflowUnits: overflow ? overflow.units[h] : 0,
        overflowRps: overflowRps ? overflowRps[h] : 0,
        costUsd: hourCost(replicas[h], r) + (overflow ? overflow.costUsd[h] : 0),
        coldStarts: overflow ? overflow.coldStarts[h] : 0,
    }));
}

function serverlessHours(rps: readonly number[], s: ServerlessHours): HourEstimate[] {
    return rps.map((r, h) => ({ rps: r, units: s.units[h], overflowUnits: 0, overflowRps: 0, costUsd: s.costUsd[h], coldStarts: s.coldStarts[h] }));
}

function kubernetesEstimate(backend: BackendId, cloud: "aws" | "gcp", region: string, hourCost: KubernetesHourCost, inputs: Inputs): BackendEstimate {
    const rps = inputs.profile.rps_by_hour;
    const replicas = replicasByHour(rps, inputs.facts, inputs.a);
    return summarise(
        {
            backend, cloud, region, unitName: "replicas",
            hours: kubernetesHours(rps, replicas, hourCost),
            coldStartMs: inputs.facts.serverColdStartMs,
            podStarts: startsByHour(replicas),
            settings: [`HPA ${inputs.a.minReplicas}-${Math.max(...replicas)} replicas of ${inputs.a.replica.vcpu} vCPU at ${inputs.a.targetUtilisation * 100}% CPU`],
        },
        inputs,
    );
}

type Overflow = (rps: readonly number[]) => ServerlessHours;

/**
 * Hybrid: the Kubernetes baseline scales up to `baseline` replicas; traffic beyond their capacity
 * spills to the serverless overflow. Every baseline size from the minimum to the peak need is
 * tried; the cheapest that meets the SLO wins (the cheapest overall when none does).
 */
function hybridEstimate(backend: BackendId, baselineBackend: BackendId, cloud: "aws" | "gcp", region: string, hourCost: KubernetesHourCost, overflow: Overflow, coldStartMs: number, payloadLimit: Parts["payloadLimitBytes"], inputs: Inputs): BackendEstimate {
    const rps = inputs.profile.rps_by_hour;
    const perReplica = unitCapacityRps(inputs.facts, inputs.a.replica.vcpu, inputs.a);
    const peakReplicas = Math.max(...replicasByHour(rps, inputs.facts, inputs.a));
    let best: BackendEstimate | undefined;
    for (let baseline = inputs.a.minReplicas; baseline <= peakReplicas; baseline++) {
        const replicas = replicasByHour(rps, inputs.facts, inputs.a, baseline);
        const spilled = rps.map((r) => Math.max(0, r - baseline * perReplica));
        const candidate = summarise(
            {
                backend, cloud, region, unitName: "replicas",
                hours: kubernetesHours(rps, replicas, hourCost, overflow(spilled), spilled),
                coldStartMs,
                podStarts: startsByHour(replicas),
                settings: [`HPA ${inputs.a.minReplicas}-${baseline} replicas; overflow beyond ${(baseline * perReplica).toFixed(0)} rps`],
                payloadLimitBytes: payloadLimit,
            },
            inputs,
        );
        const better =
            !best ||
            (candidate.meetsSlo && !best.meetsSlo) ||
            (candidate.meetsSlo === best.meetsSlo && candidate.monthlyCostUsd < best.monthlyCostUsd);
        if (better) best = candidate;
    }
    const chosen = best as BackendEstimate;
    return chosen.hours.some((h) => h.overflowRps > 0) ? chosen : { ...chosen, sameAs: baselineBackend };
}

/** One estimate per backend on each cloud the profile names a region for. */
export function estimateAll(profile: TrafficProfile, facts: ServiceFacts, prices: PriceTable, a: Assumptions): BackendEstimate[] {
    const inputs: Inputs = { profile, facts, a };
    const rps = profile.rps_by_hour;
    const estimates: BackendEstimate[] = [];
    const awsRegion = profile.region.aws;
    if (awsRegion !== undefined) {
        const p = prices.aws[awsRegion];
        const eks = eksHourCost(profile, p, a);
        const lambdaLimit = { bytes: a.lambda.payloadLimitBytes, platform: "Lambda" };
        const lambdaParts = (backend: BackendId, s: ServerlessHours, settings: string[]): Parts => ({
            backend, cloud: "aws", region: awsRegion, unitName: "environments", hours: serverlessHours(rps, s),
            coldStartMs: facts.lambdaColdStartMs, podStarts: [], settings, payloadLimitBytes: lambdaLimit,
        });
        estimates.push(
            kubernetesEstimate("eks", "aws", awsRegion, eks, inputs),
            summarise(lambdaParts("lambda", lambdaOnDemand(rps, facts, p, a), ["on demand, scales to zero"]), inputs),
            summarise(lambdaParts("lambda-scheduled", lambdaScheduled(rps, facts, p, a), ["provisioned concurrency set hourly by scheduled actions"]), inputs),
            hybridEstimate("hybrid-eks-lambda", "eks", "aws", awsRegion, eks, (s) => lambdaOnDemand(s, facts, p, a), facts.lambdaColdStartMs, lambdaLimit, inputs),
        );
    }
    const gcpRegion = profile.region.gcp;
    if (gcpRegion !== undefined) {
        const p = prices.gcp[gcpRegion];
        const gke = gkeAutopilotHourCost(profile, p, a);
        const runLimit = { bytes: a.cloudRun.payloadLimitBytes, platform: "Cloud Run" };
        const runParts = (backend: BackendId, s: ServerlessHours, settings: string[]): Parts => ({
            backend, cloud: "gcp", region: gcpRegion, unitName: "instances", hours: serverlessHours(rps, s),
            coldStartMs: facts.serverColdStartMs, podStarts: [], settings, payloadLimitBytes: runLimit,
        });
        estimates.push(
            kubernetesEstimate("gke-autopilot", "gcp", gcpRegion, gke, inputs),
            summarise(runParts("cloud-run", cloudRunOnDemand(rps, facts, p, a), ["min instances 0, request-based billing"]), inputs),
            summarise(runParts("cloud-run-scheduled", cloudRunScheduled(rps, facts, p, a), ["min instances set hourly by Cloud Scheduler"]), inputs),
            hybridEstimate("hybrid-gke-cloud-run", "gke-autopilot", "gcp", gcpRegion, gke, (s) => cloudRunOnDemand(s, facts, p, a), facts.serverColdStartMs, runLimit, inputs),
        );
    }
    return estimates;
}
