/** Picks a backend from the estimates and says why, in terms of the profile's shape and the costs. */
import type { BackendEstimate, Recommendation, TrafficProfile } from "./types";

/** Below this gap between the two cheapest, the choice is a close call and the reason says so. */
const CLOSE_CALL = 0.1;

export function trafficShape(profile: TrafficProfile): string {
    const rps = profile.rps_by_hour;
    const peak = Math.max(...rps);
    const mean = rps.reduce((s, r) => s + r, 0) / rps.length;
    const idleHours = rps.filter((r) => r === 0).length;
    const ratio = mean > 0 ? `${(peak / mean).toFixed(1)}x` : "n/a";
    return `peak ${peak} rps, mean ${mean.toFixed(1)} rps (peak/mean ${ratio}), ${idleHours} of 168 hours idle`;
}

/** Dollars, with cents only where they matter (under $10). */
export function formatUsd(x: number): string {
    return `$${x < 10 ? x.toFixed(2) : x.toFixed(0)}`;
}

function usd(x: number): string {
    return `${formatUsd(x)}/month`;
}

function overflowShare(e: BackendEstimate): number {
    const total = e.hours.reduce((s, h) => s + h.rps, 0);
    return total > 0 ? e.hours.reduce((s, h) => s + h.overflowRps, 0) / total : 0;
}

export function recommend(profile: TrafficProfile, estimates: readonly BackendEstimate[]): Recommendation {
    const eligible = estimates.filter((e) => !e.ineligible);
    if (eligible.length === 0) {
        throw new Error("no backend can serve this profile: " + estimates.map((e) => `${e.backend}: ${e.ineligible}`).join("; "));
    }
    const slo = profile.latency_slo_ms_p99;
    // A hybrid whose baseline covers the peak is the plain Kubernetes backend under another name.
    const meeting = eligible.filter((e) => e.meetsSlo && !e.sameAs).sort((x, y) => x.monthlyCostUsd - y.monthlyCostUsd);
    if (meeting.length === 0) {
        const closest = [...eligible].sort((x, y) => x.p99Ms - y.p99Ms || x.monthlyCostUsd - y.monthlyCostUsd)[0];
        return {
            backend: closest.backend,
            reason:
                `no backend meets the p99 SLO of ${slo} ms; ${closest.backend} comes closest at an estimated ` +
                `${closest.p99Ms.toFixed(0)} ms for ${usd(closest.monthlyCostUsd)}. Speed up the model or relax the SLO.`,
        };
    }
    const [best, next] = meeting;
    const parts = [`cheapest of the ${meeting.length} backends that meet the p99 SLO of ${slo} ms at ${usd(best.monthlyCostUsd)}`];
    if (next) {
        const gap = (next.monthlyCostUsd - best.monthlyCostUsd) / next.monthlyCostUsd;
        parts.push(`${(gap * 100).toFixed(0)}% below ${next.backend} (${usd(next.monthlyCostUsd)})`);
        if (gap < CLOSE_CALL) parts.push("a close call: prefer the platform the team already runs");
    }
    parts.push(`traffic: ${trafficShape(profile)}`);
    if (best.backend.startsWith("hybrid")) {
        parts.push(`${best.settings.join(", ")}: ${(overflowShare(best) * 100).toFixed(1)}% of requests spill to serverless`);
    }
    if (best.coldStartsPerDay > 0) {
        const requestsPerDay = (profile.rps_by_hour.reduce((s, r) => s + r, 0) * 3600) / 7;
        const share = (best.coldStartsPerDay / requestsPerDay) * 100;
        parts.push(`~${best.coldStartsPerDay.toFixed(1)} cold starts/day (${share.toPrecision(2)}% of requests)`);
    }
    return { backend: best.backend, reason: parts.join("; ") };
}
