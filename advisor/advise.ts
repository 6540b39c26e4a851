/** The whole advice for one profile: every backend estimated, one recommended, and the chart of it. */
import type { TopLevelSpec } from "vega-lite";
import { chartSpec } from "./chart";
import { estimateAll } from "./estimate";
import { recommend, trafficShape } from "./recommend";
import type { Assumptions, BackendEstimate, PriceTable, Recommendation, ServiceFacts, TrafficProfile } from "./types";

export interface Advice {
    profile: string;
    traffic: string;
    sloP99Ms: number;
    pricesAsOf: string;
    benchMeasuredAt: string;
    facts: ServiceFacts;
    estimates: BackendEstimate[];
    recommendation: Recommendation;
}

export function advise(profile: TrafficProfile, facts: ServiceFacts, prices: PriceTable, a: Assumptions): Advice {
    const estimates = estimateAll(profile, facts, prices, a);
    return {
        profile: profile.name ?? "profile",
        traffic: trafficShape(profile),
        sloP99Ms: profile.latency_slo_ms_p99,
        pricesAsOf: prices.as_of,
        benchMeasuredAt: facts.measuredAt,
        facts,
        estimates,
        recommendation: recommend(profile, estimates),
    };
}

export function chartFor(profile: TrafficProfile, advice: Advice): TopLevelSpec {
    return chartSpec(profile, advice.estimates, `prices as of ${advice.pricesAsOf}; service measured ${advice.benchMeasuredAt}`);
}
