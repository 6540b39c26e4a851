// CI's smoke test of `npm run bench`: the shortest mode, into a temporary folder, checked for completeness and
// sane numbers. It sets no speed threshold: targets are judged by the bench itself, on a quiet machine.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { BenchResults } from "../../bench/report";

const root = path.resolve(__dirname, "..", "..");
const EXPECTED_CASES = [
    "raw-session",
    "raw-session-batch",
    "bare-node-http",
    "predict-single",
    "predict-single-unbatched",
    "predict-single-1core",
    "predict-single-half-load",
    "predict-batch",
    "bare-node-http-batch",
    "v2-infer",
    "v2-infer-batch",
    "v2-binary-infer-batch",
];

describe("npm run bench --mode short (smoke)", function () {
    // Builds the service when dist/ is stale, then spawns a dozen processes on 2 shared cores.
    this.timeout(300_000);
    let outDir: string;
    let results: BenchResults;

    before(async () => {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
        const args = ["-r", "tsx/cjs", "bench/run.ts", "--mode", "short", "--duration", "0.5", "--warmup", "0.2", "--cold-runs", "1", "--out", outDir];
        await promisify(execFile)(process.execPath, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
        results = JSON.parse(fs.readFileSync(path.join(outDir, "latest.json"), "utf8")) as BenchResults;
    });

    after(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("writes a short-mode result with the machine it ran on", () => {
        assert.equal(results.mode, "short");
        assert.ok(!Number.isNaN(Date.parse(results.measured_at)));
        assert.ok(results.machine.cpus >= 1);
        assert.equal(results.machine.loadavg.length, 3);
    });

    it("has every case, each answered without failures and with ordered, positive latencies", () => {
        assert.deepEqual(results.cases.map((c) => c.name).sort(), [...EXPECTED_CASES].sort());
        for (const c of results.cases) {
            assert.ok(c.throughput_rps > 0, `${c.name} throughput`);
            assert.ok(Math.abs(c.rows_per_sec - c.throughput_rps * c.rows_per_request) <= c.rows_per_request, `${c.name} rows/s`);
            assert.ok(c.latency_ms.p50 > 0 && c.latency_ms.p50 <= c.latency_ms.p90 && c.latency_ms.p90 <= c.latency_ms.p99, `${c.name} latency`);
            assert.ok(c.peak_rss_mb > 20 && c.peak_rss_mb < 4096, `${c.name} RSS ${c.peak_rss_mb}`);
            assert.equal(c.failures, 0, `${c.name} failures`);
        }
    });

    it("measures both cold starts beside the outside reference, with the phases of each", () => {
        for (const entry of [results.cold_start_ms.server, results.cold_start_ms.lambda]) {
            assert.ok(entry, "cold start missing");
            assert.equal(entry.runs.length, 1);
            assert.equal(entry.reference.runs.length, 1);
            assert.ok(entry.median > 0 && entry.reference.median > 0);
            const phases = entry.phases.map((p) => p.phase);
            for (const phase of ["node start (to first user code)", "onnxruntime-node load", "ONNX session create", "app build → ready (plugins, routes, schemas)", "first request (start → answer)"]) {
                assert.ok(phases.includes(phase), `${phase} missing: ${phases.join(", ")}`);
            }
        }
    });

    it("computes every ratio and judges all eight targets", () => {
        for (const key of ["predict_single_vs_bare_throughput", "predict_single_vs_raw_session_throughput", "batch_vs_single_rows_per_sec", "v2_infer_vs_predict_single_throughput", "predict_batch_vs_raw_session_batch_rows_per_sec", "v2_binary_vs_json_batch_rows_per_sec"]) {
            assert.ok(results.ratios[key] > 0, key);
        }
        assert.equal(results.targets.length, 8);
        for (const t of results.targets) assert.equal(typeof t.met, "boolean");
    });

    it("writes the chart", () => {
        assert.match(fs.readFileSync(path.join(outDir, "latest.svg"), "utf8"), /^<svg[\s\S]*predict-single[\s\S]*<\/svg>$/);
    });
});
