/** Text output of an advice: a Markdown table (terminal and docs/advisor.md) and the full report. */
import type { Advice } from "./advise";
import { formatUsd } from "./recommend";
import type { BackendEstimate } from "./types";

function range(values: number[]): string {
    const min = Math.min(...values);
    const max = Math.max(...values);
    return min === max ? `${min}` : `${min}-${max}`;
}

export function capacityText(e: BackendEstimate): string {
    const main = `${range(e.hours.map((h) => h.units))} ${e.unitName}`;
    const overflow = e.hours.map((h) => h.overflowUnits);
    if (e.sameAs) return `${main} (no overflow: = ${e.sameAs})`;
    return Math.max(...overflow) > 0 ? `${main} + ${range(overflow)} overflow` : main;
}

function row(e: BackendEstimate): string[] {
    if (e.ineligible) return [e.backend, `${e.cloud} ${e.region}`, "n/a", "n/a", "n/a", "n/a", `no: ${e.ineligible}`];
    return [
        e.backend,
        `${e.cloud} ${e.region}`,
        formatUsd(e.monthlyCostUsd),
        capacityText(e),
        e.coldStartsPerDay.toFixed(1),
        e.p99Ms.toFixed(0),
        e.meetsSlo ? "yes" : "no",
    ];
}

const HEADER = ["backend", "region", "monthly cost", "capacity over the week", "cold starts/day", "p99 ms", "meets SLO"];

/** A Markdown table: readable in a terminal and pasteable into docs/advisor.md. */
export function markdownTable(advice: Advice): string {
    const rows = [HEADER, ...advice.estimates.map(row)];
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

export function textReport(advice: Advice, chartPath: string): string {
    return [
        `Profile ${advice.profile}: ${advice.traffic}; p99 SLO ${advice.sloP99Ms} ms`,
        `Service (bench ${advice.benchMeasuredAt}): ${advice.facts.rpsPerVcpu.toFixed(0)} rps per vCPU, ` +
            `${advice.facts.warmDurationMs.toFixed(2)} ms per request, warm p99 ${advice.facts.warmP99Ms.toFixed(1)} ms, ` +
            `cold start ${advice.facts.serverColdStartMs.toFixed(0)} ms (server) / ${advice.facts.lambdaColdStartMs.toFixed(0)} ms (Lambda)`,
        `Prices as of ${advice.pricesAsOf} (list prices; refresh advisor/prices.json before relying on them)`,
        "",
        markdownTable(advice),
        "",
        `Recommendation: ${advice.recommendation.backend}: ${advice.recommendation.reason}`,
        `Chart: ${chartPath}`,
    ].join("\n");
}
