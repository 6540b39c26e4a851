import { strict as assert } from "node:assert";
import { renderChartSvg } from "../../bench/chart";
import type { BenchResults } from "../../bench/report";

const results: BenchResults = {
    measured_at: "2026-01-01T00:00:00.000Z",
    machine: { cpus: 2, cpu_model: "test cpu", node: "v20", loadavg: [0.5, 0.4, 0.3], loadavg_after: [0.5, 0.4, 0.3] },
    mode: "short",
    settings: {},
    cases: [
        { name: "raw-session", description: "", rows_per_request: 1, throughput_rps: 20000, rows_per_sec: 20000, latency_ms: { p50: 0.02, p90: 0.03, p99: 0.1 }, peak_rss_mb: 80, requests: 1, failures: 0, duration_s: 1 },
        { name: "predict-single", description: "", rows_per_request: 1, throughput_rps: 3000, rows_per_sec: 3000, latency_ms: { p50: 1, p90: 2, p99: 4 }, peak_rss_mb: 120, requests: 1, failures: 0, duration_s: 1 },
    ],
    cold_start_ms: {
        server: { median: 280, runs: [280], reference: { median: 275, runs: [275] }, vs_reference: 1.018, phases: [{ phase: "ONNX session create", wall_ms: 12.5, ends_at_ms: 120 }], cpus: "all" },
        lambda: { median: 240, runs: [240], reference: { median: 236, runs: [236] }, vs_reference: 1.017, phases: [{ phase: "onnxruntime-node load", wall_ms: 9.5, ends_at_ms: 70 }], cpus: "all" },
    },
    ratios: {},
    targets: [],
};

describe("bench chart", () => {
    it("renders an SVG naming every case, the measured values and both cold starts", async () => {
        const svg = await renderChartSvg(results);
        assert.match(svg, /^<svg[\s\S]*<\/svg>$/);
        for (const text of ["raw-session", "predict-single", "20,000", "3,000", "server", "lambda", "test cpu", "outside reference", "ONNX session create", "onnxruntime-node load"]) {
            assert.ok(svg.includes(text), `chart lacks ${text}`);
        }
    });
});
