// The results as one SVG: rows/s (log scale: raw session.run and batches are orders of magnitude apart),
// latency percentiles, peak RSS and cold starts, each panel with the target where one applies.
// Vega-Lite 5 compiled to Vega and rendered headless (renderer "none" + toSVG), which needs no canvas or browser.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { COLD_START_TARGET_MS, type BenchResults } from "./report";

const WIDTH = 420;

/** The Vega-Lite spec for `results`; separate from rendering so its data can be checked without drawing. */
export function chartSpec(results: BenchResults): TopLevelSpec {
    const caseOrder = results.cases.map((c) => c.name);
    const throughput = results.cases.map((c) => ({ case: c.name, rows_per_sec: c.rows_per_sec }));
    const latency = results.cases.flatMap((c) =>
        (["p50", "p90", "p99"] as const).map((p) => ({ case: c.name, percentile: p, ms: c.latency_ms[p] })),
    );
    const rss = results.cases.map((c) => ({ case: c.name, mb: c.peak_rss_mb }));
    const entries = Object.entries(results.cold_start_ms).filter((e) => e[1] !== undefined) as Array<[string, NonNullable<BenchResults["cold_start_ms"]["server"]>]>;
    const cold = entries.flatMap(([entry, c]) => [
        { entry, measurement: "bench (instrumented)", ms: c.median },
        { entry, measurement: "outside reference", ms: c.reference.median },
    ]);
    const phases = entries.flatMap(([entry, c]) => c.phases.filter((p) => !p.phase.startsWith("total")).map((p) => ({ entry, phase: p.phase.trim(), ms: p.wall_ms })));
    const phaseOrder = [...new Set(phases.map((p) => p.phase))];
    const yCase = { field: "case", type: "nominal", sort: caseOrder, title: null, axis: { labelLimit: 220 } } as const;
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: {
            text: `model-serving bench (${results.mode}) — ${results.measured_at}`,
            subtitle: `${results.machine.cpus} × ${results.machine.cpu_model}, node ${results.machine.node}, load ${results.machine.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
        },
        config: { font: "sans-serif", view: { stroke: null } },
        // Each panel has its own categories and colours.
        resolve: { scale: { y: "independent", yOffset: "independent", color: "independent" } },
        vconcat: [
            {
                title: "rows per second (log scale)",
                width: WIDTH,
                data: { values: throughput },
                encoding: {
                    y: yCase,
                    // stack: null, or Vega-Lite stacks the bars from 0, which a log scale cannot place.
                    x: { field: "rows_per_sec", type: "quantitative", scale: { type: "log" }, stack: null, title: "rows/s" },
                },
                layer: [
                    { mark: { type: "bar", color: "#4c78a8" } },
                    { mark: { type: "text", align: "left", dx: 3 }, encoding: { text: { field: "rows_per_sec", type: "quantitative", format: ",.0f" } } },
                ],
            },
            {
                title: "latency (ms, log scale) — target p99 ≤ 5 ms at half load",
                width: WIDTH,
                data: { values: latency },
                mark: "bar",
                encoding: {
                    y: yCase,
                    yOffset: { field: "percentile", sort: ["p50", "p90", "p99"] },
                    x: { field: "ms", type: "quantitative", scale: { type: "log" }, stack: null, title: "ms" },
                    color: { field: "percentile", type: "nominal", sort: ["p50", "p90", "p99"] },
                },
            },
            {
                title: "peak RSS (MB) — target ≤ 200 MB",
                width: WIDTH,
                layer: [
                    {
                        data: { values: rss },
                        mark: { type: "bar", color: "#72b7b2" },
                        encoding: { y: yCase, x: { field: "mb", type: "quantitative", title: "MB" } },
                    },
                    { data: { values: [{ mb: 200 }] }, mark: { type: "rule", color: "#e45756", strokeDash: [4, 3] }, encoding: { x: { field: "mb", type: "quantitative" } } },
                ],
            },
            {
                title: `cold start median (ms), bench vs outside reference — target ≤ ${COLD_START_TARGET_MS} ms, within 10% of the reference`,
                width: WIDTH,
                layer: [
                    {
                        data: { values: cold },
                        mark: "bar",
                        encoding: {
                            y: { field: "entry", type: "nominal", title: null },
                            yOffset: { field: "measurement" },
                            x: { field: "ms", type: "quantitative", title: "ms" },
                            color: { field: "measurement", type: "nominal", scale: { range: ["#f58518", "#bab0ac"] } },
                        },
                    },
                    { data: { values: [{ ms: COLD_START_TARGET_MS }] }, mark: { type: "rule", color: "#e45756", strokeDash: [4, 3] }, encoding: { x: { field: "ms", type: "quantitative" } } },
                ],
            },
            {
                title: "cold-start phases (median wall ms; phases overlap, see the printed timeline)",
                width: WIDTH,
                data: { values: phases },
                mark: "bar",
                encoding: {
                    y: { field: "phase", type: "nominal", sort: phaseOrder, title: null, axis: { labelLimit: 260 } },
                    yOffset: { field: "entry" },
                    x: { field: "ms", type: "quantitative", title: "ms" },
                    color: { field: "entry", type: "nominal", scale: { range: ["#4c78a8", "#54a24b"] } },
                },
            },
        ],
    };
}

export async function renderChartSvg(results: BenchResults): Promise<string> {
    const view = new vega.View(vega.parse(compile(chartSpec(results)).spec), { renderer: "none" });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}
