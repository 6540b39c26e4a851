/** The per-hour chart: traffic, capacity and cost of every backend over the week, as an SVG. */
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";
import type { BackendEstimate, TrafficProfile } from "./types";

interface Point {
    hour: number;
    series: string;
    value: number;
}

const WEEK_AXIS = {
    title: null,
    values: [0, 24, 48, 72, 96, 120, 144],
    labelExpr: "['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][datum.value / 24]",
    grid: true,
};

function panel(title: string, points: Point[], yTitle: string) {
    return {
        title,
        width: 760,
        height: 170,
        data: { values: points },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 } as const,
        encoding: {
            x: { field: "hour", type: "quantitative" as const, scale: { domain: [0, 168] }, axis: WEEK_AXIS },
            y: { field: "value", type: "quantitative" as const, title: yTitle },
            color: { field: "series", type: "nominal" as const, title: null, scale: { scheme: "tableau20" }, legend: { labelLimit: 320 } },
        },
    };
}

/** The vega-lite spec; kept separate from rendering so tests can inspect the data it plots. */
export function chartSpec(profile: TrafficProfile, estimates: readonly BackendEstimate[], subtitle: string): TopLevelSpec {
    const traffic = profile.rps_by_hour.map((value, hour) => ({ hour, series: "requests/s", value }));
    const capacity: Point[] = [];
    const cost: Point[] = [];
    for (const e of estimates) {
        const hybrid = e.hours.some((h) => h.overflowUnits > 0);
        e.hours.forEach((h, hour) => {
            capacity.push({ hour, series: hybrid ? `${e.backend} (replicas)` : `${e.backend} (${e.unitName})`, value: h.units });
            if (hybrid) capacity.push({ hour, series: `${e.backend} (overflow)`, value: h.overflowUnits });
            cost.push({ hour, series: e.backend, value: h.costUsd });
        });
    }
    const spec: TopLevelSpec = {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: { text: `Advisor: ${profile.name ?? "profile"}`, subtitle, anchor: "start" },
        background: "white",
        vconcat: [
            panel(`Traffic (hours in ${profile.time_zone ?? "UTC"})`, traffic, "requests per second"),
            panel("Capacity running", capacity, "replicas / environments / instances"),
            panel("Cost per hour", cost, "USD per hour"),
        ],
        resolve: { scale: { color: "independent" } },
    };
    return spec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
    const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}
