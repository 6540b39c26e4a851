// The results as one SVG: rows/s (log scale: raw session.run and batches are orders of magnitude apart),
// latency percentiles, peak RSS and cold starts, each panel with the target where one applies.
// Vega-Lite 5 compiled to Vega and rendered headless (renderer "none" + toSVG), which needs no canvas or browser.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { BenchResults } from "./report";

const WIDTH = 420;

/** The Vega-Lite spec for `results`; separate from rendering so its data can be checked without drawing. */
export function chartSpec(results: BenchResults): TopLevelSpec {
    const caseOrder = results.cases.map((c) => c.name);
    const throughput = results.cases.map((c) => ({ case: c.name, rows_per_sec: c.rows_per_sec }));
    const latency = results.cases.flatMap((c) =>
        (["p50", "p90", "p99"] as const).map((p) => ({ case: c.name, percentile: p, ms: c.latency_ms[p] })),
    );
    const rss = results.cases.map((c) => ({ case: c.name, mb: c.peak_rss_mb }));
    const cold = [
        ...(results.cold_start_ms.server ? [{ entry: "server", ms: results.cold_start_ms.server.median, target: 300 }] : []),
        ...(results.cold_start_ms.lambda ? [{ entry: "lambda", ms: results.cold_start_ms.lambda.median, target: 250 }] : []),
    ];
    const yCase = { field: "case", type: "nominal", sort: caseOrder, title: null, axis: { labelLimit: 220 } } as const;
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: {
            text: `model-serving bench (${results.mode}) — ${results.measured_at}`,
            subtitle: `${results.machine.cpus} × ${results.machine.cpu_model}, node ${results.machine.node}, load ${results.machine.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
        },
        config: { font: "sans-serif", view: { stroke: null } },
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
                title: "cold start median (ms) — targets: server ≤ 300, Lambda ≤ 250",
                width: WIDTH,
                data: { values: cold },
                layer: [
                    { mark: { type: "bar", color: "#f58518" }, encoding: { y: { field: "entry", type: "nominal", title: null }, x: { field: "ms", type: "quantitative", title: "ms" } } },
                    { mark: { type: "tick", color: "#e45756", thickness: 2 }, encoding: { y: { field: "entry", type: "nominal" }, x: { field: "target", type: "quantitative" } } },
                ],
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
