/**
 * Hourly units, cost and cold starts for Lambda and Cloud Run, on demand (scale to zero) or with
 * capacity kept warm on a schedule that follows the profile (provisioned concurrency / min instances).
 */
import {
    billedInstanceSeconds,
    coldStartsByHour,
    instancesFor,
    lambdaEnvironmentsFor,
    lambdaMemoryMb,
    unitCapacityRps,
} from "./capacity";
import type { Assumptions, AwsPrices, GcpPrices, ServiceFacts } from "./types";

export interface ServerlessHours {
    units: number[];
    costUsd: number[];
    coldStarts: number[];
}

/** Lambda bills duration in whole milliseconds. */
function lambdaBilledSeconds(durationMs: number): number {
    return Math.ceil(durationMs) / 1000;
}

export function lambdaOnDemand(rps: readonly number[], facts: ServiceFacts, prices: AwsPrices, a: Assumptions): ServerlessHours {
    const memoryGb = lambdaMemoryMb(facts, a) / 1024;
    const gbSecondPerRequest = lambdaBilledSeconds(facts.warmDurationMs) * memoryGb;
    const units = rps.map((r) => lambdaEnvironmentsFor(r, facts.warmDurationMs));
    const coldStarts = coldStartsByHour(rps, units, a.lambda.idleKeepSeconds);
    // The INIT phase of a cold start is billed as duration too.
    const gbSecondPerColdStart = (facts.lambdaColdStartMs / 1000) * memoryGb;
    const costUsd = rps.map(
        (r, h) =>
            r * 3600 * (prices.lambda_request.usd + gbSecondPerRequest * prices.lambda_duration.usd) +
            coldStarts[h] * gbSecondPerColdStart * prices.lambda_duration.usd,
    );
    return { units, costUsd, coldStarts };
}

/**
 * Provisioned concurrency set per hour by scheduled actions to the environments the hour needs, so
 * requests land on pre-initialised environments and see no cold start.
 */
export function lambdaScheduled(rps: readonly number[], facts: ServiceFacts, prices: AwsPrices, a: Assumptions): ServerlessHours {
    const memoryGb = lambdaMemoryMb(facts, a) / 1024;
    const gbSecondPerRequest = lambdaBilledSeconds(facts.warmDurationMs) * memoryGb;
    const units = rps.map((r) => lambdaEnvironmentsFor(r, facts.warmDurationMs));
    const costUsd = rps.map(
        (r, h) =>
            units[h] * 3600 * memoryGb * prices.lambda_provisioned_concurrency.usd +
            r * 3600 * (prices.lambda_request.usd + gbSecondPerRequest * prices.lambda_provisioned_duration.usd),
    );
    return { units, costUsd, coldStarts: rps.map(() => 0) };
}

function cloudRunUsdPerActiveSecond(prices: GcpPrices, a: Assumptions): number {
    return a.cloudRun.vcpu * prices.cloud_run_vcpu.usd + a.cloudRun.memoryGib * prices.cloud_run_memory.usd;
}

export function cloudRunOnDemand(rps: readonly number[], facts: ServiceFacts, prices: GcpPrices, a: Assumptions): ServerlessHours {
    const capacity = unitCapacityRps(facts, a.cloudRun.vcpu, a);
    const units = rps.map((r) => instancesFor(r, capacity, 0));
    const coldStarts = coldStartsByHour(rps, units, a.cloudRun.idleKeepSeconds);
    const perActiveSecond = cloudRunUsdPerActiveSecond(prices, a);
    const costUsd = rps.map((r, h) => {
        const serving = billedInstanceSeconds(r, units[h], facts.warmDurationMs, a.cloudRun.billingGranularityMs);
        // An instance is billed while it starts, too.
        const starting = coldStarts[h] * (facts.serverColdStartMs / 1000);
        return (serving + starting) * perActiveSecond + r * 3600 * prices.cloud_run_request.usd;
    });
    return { units, costUsd, coldStarts };
}

/**
 * Min instances set per hour by a scheduler to the hour's need: instances stay warm (no cold starts)
 * and are billed at the idle rate whenever they are not serving.
 */
export function cloudRunScheduled(rps: readonly number[], facts: ServiceFacts, prices: GcpPrices, a: Assumptions): ServerlessHours {
    const capacity = unitCapacityRps(facts, a.cloudRun.vcpu, a);
    const units = rps.map((r) => instancesFor(r, capacity, 0));
    const perActiveSecond = cloudRunUsdPerActiveSecond(prices, a);
    const perIdleSecond = a.cloudRun.vcpu * prices.cloud_run_idle_vcpu.usd + a.cloudRun.memoryGib * prices.cloud_run_idle_memory.usd;
    const costUsd = rps.map((r, h) => {
        const serving = billedInstanceSeconds(r, units[h], facts.warmDurationMs, a.cloudRun.billingGranularityMs);
        const idle = units[h] * 3600 - serving;
        return serving * perActiveSecond + idle * perIdleSecond + r * 3600 * prices.cloud_run_request.usd;
    });
    return { units, costUsd, coldStarts: rps.map(() => 0) };
}
