// The results file (read by the advisor, see docs/performance.md), the ratios between cases and the issue's
// targets. Pure functions over measured numbers: no I/O, so the arithmetic and the verdicts are unit-tested.
import type { ColdStartResult } from "./cold-start";
import type { ImageSize } from "./image-size";
import type { LatencyPercentiles } from "../tools/load/stats";
import { median, round } from "../tools/load/stats";

export interface CaseResult {
    name: string;
    description: string;
    rows_per_request: number;
    throughput_rps: number;
    rows_per_sec: number;
    latency_ms: LatencyPercentiles;
    peak_rss_mb: number;
    requests: number;
    failures: number;
    duration_s: number;
    /** CPU time of the measured process per answered request (all its threads): steadier than throughput on a shared machine. */
    cpu_ms_per_request?: number;
}

export interface Target {
    name: string;
    target: string;
    measured: number;
    met: boolean;
}

export interface BenchResults {
    measured_at: string;
    machine: { cpus: number; cpu_model: string; node: string; loadavg: number[]; loadavg_after: number[] };
    mode: "full" | "short";
    settings: Record<string, unknown>;
    cases: CaseResult[];
    cold_start_ms: { server?: ColdStartResult; lambda?: ColdStartResult };
    ratios: Record<string, number>;
    targets: Target[];
    /** What the Dockerfile's stages add to their base images (no engine here); absent in older results. */
    image_size?: ImageSize;
}

/** Cases that run the service itself; the RSS target applies to these. */
export const SERVICE_CASES = ["predict-single", "predict-single-1core", "predict-batch", "v2-infer", "v2-infer-batch", "v2-binary-infer-batch", "predict-single-half-load"];

function find(cases: readonly CaseResult[], name: string): CaseResult | undefined {
    return cases.find((c) => c.name === name);
}

/** Ratio of two cases' metric, present only when both cases ran. */
function ratio(cases: readonly CaseResult[], num: string, den: string, metric: "throughput_rps" | "rows_per_sec"): number[] {
    const a = find(cases, num);
    const b = find(cases, den);
    return a && b && b[metric] > 0 ? [round(a[metric] / b[metric], 3)] : [];
}

export function computeRatios(cases: readonly CaseResult[]): Record<string, number> {
    const entries: Array<[string, number[]]> = [
        ["predict_single_vs_bare_throughput", ratio(cases, "predict-single", "bare-node-http", "throughput_rps")],
        ["predict_single_vs_raw_session_throughput", ratio(cases, "predict-single", "raw-session", "throughput_rps")],
        ["bare_vs_raw_session_throughput", ratio(cases, "bare-node-http", "raw-session", "throughput_rps")],
        ["predict_single_vs_unbatched_throughput", ratio(cases, "predict-single", "predict-single-unbatched", "throughput_rps")],
        ["v2_infer_vs_predict_single_throughput", ratio(cases, "v2-infer", "predict-single", "throughput_rps")],
        ["batch_vs_single_rows_per_sec", ratio(cases, "predict-batch", "predict-single", "rows_per_sec")],
        ["predict_batch_vs_raw_session_batch_rows_per_sec", ratio(cases, "predict-batch", "raw-session-batch", "rows_per_sec")],
        ["bare_batch_vs_raw_session_batch_rows_per_sec", ratio(cases, "bare-node-http-batch", "raw-session-batch", "rows_per_sec")],
        ["predict_batch_vs_bare_batch_rows_per_sec", ratio(cases, "predict-batch", "bare-node-http-batch", "rows_per_sec")],
        ["v2_json_batch_vs_raw_session_batch_rows_per_sec", ratio(cases, "v2-infer-batch", "raw-session-batch", "rows_per_sec")],
        ["v2_binary_batch_vs_raw_session_batch_rows_per_sec", ratio(cases, "v2-binary-infer-batch", "raw-session-batch", "rows_per_sec")],
        ["v2_binary_vs_json_batch_rows_per_sec", ratio(cases, "v2-binary-infer-batch", "v2-infer-batch", "rows_per_sec")],
    ];
    return Object.fromEntries(entries.filter(([, v]) => v.length === 1).map(([k, v]) => [k, v[0]]));
}

export const COLD_START_TARGET_MS = 150;
/** The harness's figure may differ from the outside reference by 10 % either way. */
const agrees = (ratio: number): boolean => Math.abs(ratio - 1) <= 0.1;

/** The issue's targets, each judged on what this run measured; a target whose inputs did not run is left out. */
export function evaluateTargets(
    cases: readonly CaseResult[],
    ratios: Record<string, number>,
    coldStart: BenchResults["cold_start_ms"],
): Target[] {
    const targets: Target[] = [];
    const add = (name: string, target: string, measured: number | undefined, met: (m: number) => boolean): void => {
        if (measured !== undefined) targets.push({ name, target, measured: round(measured, 3), met: met(measured) });
    };
    add("predict throughput vs bare node:http", ">= 0.9x", ratios.predict_single_vs_bare_throughput, (m) => m >= 0.9);
    add("predict p99 at half of the single-core max (open loop, pinned)", "<= 5 ms", find(cases, "predict-single-half-load")?.latency_ms.p99, (m) => m <= 5);
    add("/predict 128-row batch rows/s vs raw batched session.run (same core)", ">= 0.9x", ratios.predict_batch_vs_raw_session_batch_rows_per_sec, (m) => m >= 0.9);
    add("server spawn → first 200 (median)", "<= 150 ms", coldStart.server?.median, (m) => m <= COLD_START_TARGET_MS);
    add("server cold start vs outside reference", "within 10%", coldStart.server?.vs_reference, agrees);
    add("Lambda fresh process → first answer (median)", "<= 150 ms", coldStart.lambda?.median, (m) => m <= COLD_START_TARGET_MS);
    add("Lambda cold start vs outside reference", "within 10%", coldStart.lambda?.vs_reference, agrees);
    const serviceRss = cases.filter((c) => SERVICE_CASES.includes(c.name)).map((c) => c.peak_rss_mb);
    add("service peak RSS", "<= 200 MB", serviceRss.length ? Math.max(...serviceRss) : undefined, (m) => m <= 200);
    return targets;
}

/**
 * One result per case from several interleaved rounds: the median round's throughput and latency percentiles
 * (the machine is shared, so a round that another job slowed down must not decide a ratio), the highest peak
 * RSS, and the requests, failures and seconds of all rounds added up.
 */
export function combineRounds(rounds: readonly (readonly CaseResult[])[]): CaseResult[] {
    const names = [...new Set(rounds.flatMap((r) => r.map((c) => c.name)))];
    return names.map((name) => {
        const runs = rounds.flatMap((r) => r.filter((c) => c.name === name));
        const mid = (pick: (c: CaseResult) => number): number => median(runs.map(pick));
        const throughput = mid((c) => c.throughput_rps);
        return {
            ...runs[0],
            throughput_rps: round(throughput, 1),
            rows_per_sec: round(throughput * runs[0].rows_per_request, 1),
            latency_ms: { p50: round(mid((c) => c.latency_ms.p50), 3), p90: round(mid((c) => c.latency_ms.p90), 3), p99: round(mid((c) => c.latency_ms.p99), 3) },
            peak_rss_mb: Math.max(...runs.map((c) => c.peak_rss_mb)),
            requests: runs.reduce((n, c) => n + c.requests, 0),
            failures: runs.reduce((n, c) => n + c.failures, 0),
            duration_s: round(runs.reduce((n, c) => n + c.duration_s, 0), 2),
            ...(runs.every((c) => c.cpu_ms_per_request !== undefined) ? { cpu_ms_per_request: round(mid((c) => c.cpu_ms_per_request as number), 3) } : {}),
        };
    });
}

function markdownTable(header: string[], rows: string[][]): string {
    const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Markdown tables (cases, cold start, targets): printed by the bench and pasted into docs/performance.md. */
export function formatTables(results: BenchResults): string {
    const bare = find(results.cases, "bare-node-http");
    // Each case is set against the raw session.run case with as many rows per call.
    const rawFor = (c: CaseResult): CaseResult | undefined =>
        results.cases.find((r) => r.name.startsWith("raw-session") && r.rows_per_request === c.rows_per_request);
    // Raw session.run CPU per call over this case's CPU per request: the rows/s ratio a core of its own would give.
    const cpuVsRaw = (c: CaseResult): string => {
        const raw = rawFor(c);
        return raw?.cpu_ms_per_request && c.cpu_ms_per_request ? `${fmt(raw.cpu_ms_per_request / c.cpu_ms_per_request, 3)}x` : "";
    };
    const caseRows = results.cases.map((c) => [
        c.name,
        String(c.rows_per_request),
        fmt(c.throughput_rps),
        fmt(c.rows_per_sec),
        fmt(c.latency_ms.p50, 2),
        fmt(c.latency_ms.p90, 2),
        fmt(c.latency_ms.p99, 2),
        fmt(c.peak_rss_mb, 1),
        bare && c.rows_per_request === 1 ? `${fmt(c.throughput_rps / bare.throughput_rps, 2)}x` : "",
        rawFor(c) ? `${fmt(c.rows_per_sec / (rawFor(c) as CaseResult).rows_per_sec, 3)}x` : "",
        c.cpu_ms_per_request === undefined ? "" : fmt(c.cpu_ms_per_request, 3),
        cpuVsRaw(c),
        String(c.failures),
    ]);
    const parts = [
        markdownTable(
            ["case", "rows/req", "req/s", "rows/s", "p50 ms", "p90 ms", "p99 ms", "peak RSS MB", "req/s vs bare", "rows/s vs raw, same rows/call", "CPU ms/req", "raw CPU / this CPU, same rows/call", "failures"],
            caseRows,
        ),
    ];
    const cold = Object.entries(results.cold_start_ms).filter((e): e is [string, ColdStartResult] => e[1] !== undefined);
    if (cold.length > 0) {
        parts.push(
            markdownTable(
                ["cold start", "median ms", "outside reference median ms", "vs reference", "runs", "min ms", "max ms", "measured process on cores", "V8 code cache", "bench CPU per run ms", "load 1-min"],
                cold.map(([name, c]) => [
                    name,
                    fmt(c.median, 1),
                    fmt(c.reference.median, 1),
                    `${fmt(c.vs_reference, 3)}x`,
                    String(c.runs.length),
                    fmt(Math.min(...c.runs), 1),
                    fmt(Math.max(...c.runs), 1),
                    c.cpus,
                    Object.entries(c.code_cache ?? {}).map(([k, n]) => `${k} ×${n}`).join(", "),
                    c.harness_cpu_ms === undefined ? "" : fmt(c.harness_cpu_ms, 1),
                    c.loadavg ? c.loadavg.map((l) => fmt(l, 2)).join(" → ") : "",
                ]),
            ),
        );
        const phaseNames = [...new Set(cold.flatMap(([, c]) => c.phases.map((p) => p.phase)))];
        const cell = (c: ColdStartResult, phase: string): string => {
            const p = c.phases.find((x) => x.phase === phase);
            return p ? `${fmt(p.wall_ms, 1)}${p.cpu_ms === undefined ? "" : ` (CPU ${fmt(p.cpu_ms, 1)})`} → ${fmt(p.ends_at_ms, 0)}` : "";
        };
        parts.push(
            markdownTable(
                ["cold-start phase (median ms; CPU ms; → ends at ms since spawn)", ...cold.map(([name]) => name)],
                phaseNames.map((phase) => [phase, ...cold.map(([, c]) => cell(c, phase))]),
            ),
        );
    }
    if (results.image_size) {
        const i = results.image_size;
        parts.push(
            markdownTable(
                ["image (services/inference/Dockerfile)", "MB on disk"],
                [
                    [`deps stage: production node_modules (${i.packages} packages; onnxruntime-node for linux/${process.arch} only)`, fmt(i.deps_node_modules_mb, 1)],
                    ["build stage: dist/ (bundles, compiled schemas, code caches; no source maps)", fmt(i.dist_mb, 1)],
                    ["models/", fmt(i.models_mb, 1)],
                    ["server / lambda stage: added to the base image", fmt(i.added_to_base_mb, 1)],
                    [`largest packages: ${i.largest.map((p) => `${p.name} ${fmt(p.mb, 1)}`).join(", ")}`, ""],
                ],
            ),
        );
    }
    if (results.targets.length > 0) {
        parts.push(
            markdownTable(
                ["target", "wanted", "measured", "met"],
                results.targets.map((t) => [t.name, t.target, fmt(t.measured, 2), t.met ? "yes" : "**MISSED**"]),
            ),
        );
    }
    return parts.join("\n\n");
}

export const DOCS_BEGIN = "<!-- bench:results:begin (written by npm run bench -- --update-docs) -->";
export const DOCS_END = "<!-- bench:results:end -->";

/** `page` with the text between the bench markers replaced by this run's tables; throws when a marker is missing. */
export function withResults(page: string, results: BenchResults, verdict: string): string {
    const begin = page.indexOf(DOCS_BEGIN);
    const end = page.indexOf(DOCS_END);
    if (begin < 0 || end < begin) throw new Error(`docs page lacks the markers ${DOCS_BEGIN} … ${DOCS_END}`);
    const m = results.machine;
    const header = [
        `Run of ${results.measured_at} (${results.mode} mode), ${m.cpus} × ${m.cpu_model}, node ${m.node}, load average ${m.loadavg.join(" / ")} at the start and ${m.loadavg_after.join(" / ")} at the end; open-loop generator: ${results.settings.open_loop_generator === "wrk2" ? "wrk2" : "node (tools/load/open-loop.ts)"}.`,
        "",
        `**${verdict}**`,
    ].join("\n");
    return `${page.slice(0, begin + DOCS_BEGIN.length)}\n${header}\n\n${formatTables(results)}\n${page.slice(end)}`;
}
