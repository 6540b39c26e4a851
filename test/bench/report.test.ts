import { strict as assert } from "node:assert";
import type { ColdStartResult } from "../../bench/cold-start";
import { arrivalSchedule } from "../../tools/load/open-loop";
import { combineRounds, computeRatios, DOCS_BEGIN, DOCS_END, evaluateTargets, formatTables, withResults, type BenchResults, type CaseResult } from "../../bench/report";

function caseResult(name: string, rowsPerRequest: number, throughput: number, p99 = 1, rss = 100): CaseResult {
    return {
        name,
        description: name,
        rows_per_request: rowsPerRequest,
        throughput_rps: throughput,
        rows_per_sec: throughput * rowsPerRequest,
        latency_ms: { p50: p99 / 4, p90: p99 / 2, p99 },
        peak_rss_mb: rss,
        requests: throughput,
        failures: 0,
        duration_s: 1,
    };
}

function cold(median: number, referenceMedian: number, runs = [median]): ColdStartResult {
    return {
        median,
        runs,
        reference: { median: referenceMedian, runs: [referenceMedian] },
        vs_reference: Math.round((median / referenceMedian) * 1000) / 1000,
        phases: [{ phase: "node start (to first user code)", wall_ms: 40, cpu_ms: 35, ends_at_ms: 42 }],
        cpus: "all",
        code_cache: { used: runs.length },
    };
}

const cases = [
    { ...caseResult("raw-session", 1, 20000, 0.1, 80), cpu_ms_per_request: 0.05 },
    caseResult("raw-session-batch", 128, 5000, 0.3, 80),
    caseResult("bare-node-http", 1, 4000, 3, 90),
    { ...caseResult("predict-single", 1, 3000, 6, 120), cpu_ms_per_request: 0.33 },
    caseResult("predict-single-half-load", 1, 1500, 4.5, 130),
    caseResult("predict-batch", 128, 500, 20, 210),
    caseResult("bare-node-http-batch", 128, 625, 18, 150),
    caseResult("v2-infer", 1, 2700, 7, 125),
];

describe("bench report", () => {
    it("computes each ratio from the cases it names", () => {
        const ratios = computeRatios(cases);
        assert.equal(ratios.predict_single_vs_bare_throughput, 0.75);
        assert.equal(ratios.predict_single_vs_raw_session_throughput, 0.15);
        assert.equal(ratios.bare_vs_raw_session_throughput, 0.2);
        assert.equal(ratios.v2_infer_vs_predict_single_throughput, 0.9);
        assert.equal(ratios.batch_vs_single_rows_per_sec, 21.333);
        assert.equal(ratios.predict_batch_vs_raw_session_batch_rows_per_sec, 0.1);
        assert.equal(ratios.bare_batch_vs_raw_session_batch_rows_per_sec, 0.125);
        assert.equal(ratios.predict_batch_vs_bare_batch_rows_per_sec, 0.8);
    });

    it("leaves out a ratio whose cases did not run", () => {
        const ratios = computeRatios(cases.filter((c) => c.name !== "bare-node-http"));
        assert.equal("predict_single_vs_bare_throughput" in ratios, false);
        assert.equal("batch_vs_single_rows_per_sec" in ratios, true);
    });

    it("judges every target on what was measured, misses included", () => {
        const ratios = computeRatios(cases);
        const targets = evaluateTargets(cases, ratios, { server: cold(140, 150), lambda: cold(160, 140) });
        const verdicts = Object.fromEntries(targets.map((t) => [t.name, [t.measured, t.met]]));
        assert.deepEqual(verdicts, {
            "predict throughput vs bare node:http": [0.75, false],
            "predict p99 at half of the single-core max (open loop, pinned)": [4.5, true],
            "/predict 128-row batch rows/s vs raw batched session.run (same core)": [0.1, false],
            "server spawn → first 200 (median)": [140, true],
            "server cold start vs outside reference": [0.933, true],
            "Lambda fresh process → first answer (median)": [160, false],
            "Lambda cold start vs outside reference": [1.143, false],
            "service peak RSS": [210, false],
        });
    });

    it("omits targets whose measurements are missing", () => {
        const targets = evaluateTargets([caseResult("raw-session", 1, 100)], {}, {});
        assert.deepEqual(targets, []);
    });

    it("formats the tables with ratios against bare and the raw case of the same batch size", () => {
        const results: BenchResults = {
            measured_at: "2026-01-01T00:00:00.000Z",
            machine: { cpus: 2, cpu_model: "test", node: "v20", loadavg: [1, 1, 1], loadavg_after: [1, 1, 1] },
            mode: "short",
            settings: {},
            cases,
            cold_start_ms: { server: cold(280, 275, [270, 280, 290]) },
            ratios: computeRatios(cases),
            targets: evaluateTargets(cases, computeRatios(cases), { server: cold(280, 275) }),
        };
        const text = formatTables(results);
        assert.match(text, /\| predict-single \| 1 \| 3,000 \| 3,000 \| 1\.50 \| 3\.00 \| 6\.00 \| 120\.0 \| 0\.75x \| 0\.150x \| 0\.330 \| 0\.152x \| 0 \|/);
        assert.match(text, /\| predict-batch \| 128 \| 500 \| 64,000 \| .* \| {2}\| 0\.100x \| {2}\| {2}\| 0 \|/);
        assert.match(text, /\| server \| 280\.0 \| 275\.0 \| 1\.018x \| 3 \| 270\.0 \| 290\.0 \| all \| used ×3 \| {2}\| {2}\|/);
        assert.match(text, /\| node start \(to first user code\) \| 40\.0 \(CPU 35\.0\) → 42 \|/);
        assert.match(text, /\| predict throughput vs bare node:http \| >= 0\.9x \| 0\.75 \| \*\*MISSED\*\* \|/);
    });
});

describe("bench results in the docs", () => {
    const results: BenchResults = {
        measured_at: "2026-01-01T00:00:00.000Z",
        machine: { cpus: 2, cpu_model: "test", node: "v20", loadavg: [0.5, 0.4, 0.3], loadavg_after: [0.6, 0.4, 0.3] },
        mode: "full",
        settings: {},
        cases,
        cold_start_ms: {},
        ratios: {},
        targets: [],
    };

    it("replaces only the text between the markers", () => {
        const page = `# Performance\n\nbefore\n${DOCS_BEGIN}\nold tables\n${DOCS_END}\nafter\n`;
        const updated = withResults(page, results, "VERDICT: all 0 targets met");
        assert.ok(updated.startsWith(`# Performance\n\nbefore\n${DOCS_BEGIN}\nRun of 2026-01-01T00:00:00.000Z (full mode)`));
        assert.ok(updated.endsWith(`${DOCS_END}\nafter\n`));
        assert.doesNotMatch(updated, /old tables/);
        assert.match(updated, /\*\*VERDICT: all 0 targets met\*\*/);
        assert.match(updated, /\| predict-single \| 1 \|/);
        assert.equal(withResults(updated, results, "VERDICT: x"), withResults(page, results, "VERDICT: x"), "a second run rewrites the same section");
    });

    it("refuses a page without the markers", () => {
        assert.throws(() => withResults("# Performance\n", results, "v"), /lacks the markers/);
    });
});

describe("load tools: open-loop schedule", () => {
    it("spaces requests evenly at the asked rate for the asked duration", () => {
        const schedule = arrivalSchedule(200, 0.5);
        assert.equal(schedule.length, 100);
        assert.equal(schedule[0], 0);
        assert.equal(schedule[1], 5);
        assert.equal(schedule[99], 495);
    });

    it("sends at least one request even when rate × duration is below one", () => {
        assert.deepEqual(arrivalSchedule(1, 0.1), [0]);
    });
});

describe("bench rounds", () => {
    it("reports each case's median round, its highest RSS and the sum of its requests", () => {
        const rounds = [
            [caseResult("predict-single", 1, 1000, 9, 100), caseResult("bare-node-http", 1, 4000, 3, 90)],
            [caseResult("predict-single", 1, 3000, 5, 130), caseResult("bare-node-http", 1, 1000, 8, 95)],
            [caseResult("predict-single", 1, 2000, 7, 110), caseResult("bare-node-http", 1, 3000, 4, 92)],
        ];
        const [single, bare] = combineRounds(rounds);
        assert.equal(single.name, "predict-single");
        assert.equal(single.throughput_rps, 2000);
        assert.equal(single.rows_per_sec, 2000);
        assert.equal(single.latency_ms.p99, 7);
        assert.equal(single.peak_rss_mb, 130);
        assert.equal(single.requests, 6000);
        assert.equal(single.duration_s, 3);
        assert.equal(bare.throughput_rps, 3000);
        assert.equal(bare.latency_ms.p99, 4);
        assert.equal("cpu_ms_per_request" in single, false, "no CPU figure when the rounds had none");
        const withCpu = combineRounds([[{ ...rounds[0][0], cpu_ms_per_request: 0.4 }], [{ ...rounds[1][0], cpu_ms_per_request: 0.2 }], [{ ...rounds[2][0], cpu_ms_per_request: 0.3 }]]);
        assert.equal(withCpu[0].cpu_ms_per_request, 0.3);
    });
});
