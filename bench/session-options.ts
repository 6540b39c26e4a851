// `npm run bench:session-options`: onnxruntime session options measured on the service for each deployment
// shape, to choose the defaults in services/inference/src/config.ts. A shape is a CPU set (taskset; "0" stands
// in for one vCPU) and a concurrency: a 2-vCPU pod and a Cloud Run instance take many requests at once, a
// Lambda instance one. Writes session-options.json + .svg beside latest.json and prints a table.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vega from "vega";
import { compile } from "vega-lite";
import type { HttpCase } from "./cases";
import { ensureServiceBuilt, progress, runHttpCase } from "./execute";
import { featureRows, loadMetadata, singlePredictBodies } from "../tools/load/bodies";
import { repoRoot } from "../tools/load/processes";
import { combineRounds, type CaseResult } from "./report";
import { parseSettings } from "./settings";

const SHAPES = [
    { shape: "pod-2vcpu", cpus: undefined, connections: 16 },
    { shape: "cloud-run-1vcpu", cpus: "0", connections: 16 },
    { shape: "lambda-1vcpu", cpus: "0", connections: 1 },
];

/** Env per variant; "ort-default" is onnxruntime's own choice (one intra-op thread per visible core, spinning). */
export const VARIANTS: Record<string, Record<string, string>> = {
    "ort-default": { ORT_INTRA_OP_THREADS: "0", ORT_ALLOW_SPINNING: "1" },
    "intra1": { ORT_INTRA_OP_THREADS: "1", ORT_ALLOW_SPINNING: "1" },
    "intra1-nospin": { ORT_INTRA_OP_THREADS: "1", ORT_ALLOW_SPINNING: "0" },
    "intra2-nospin": { ORT_INTRA_OP_THREADS: "2", ORT_ALLOW_SPINNING: "0" },
    "intra1-nospin-basic": { ORT_INTRA_OP_THREADS: "1", ORT_ALLOW_SPINNING: "0", ORT_GRAPH_OPTIMIZATION: "basic" },
};

async function main(): Promise<void> {
    // Same flags as `npm run bench` (--rounds, --duration, --warmup, --out, --model-dir).
    const settings = parseSettings(process.argv.slice(2), repoRoot);
    const rounds = settings.rounds;
    ensureServiceBuilt();
    const model = loadMetadata(settings.modelDir);
    const bodies = singlePredictBodies(model.features, featureRows(model.features, 512));
    const cases: HttpCase[] = SHAPES.flatMap(({ shape, cpus, connections }) =>
        Object.entries(VARIANTS).map(([variant, env]) => ({
            kind: "http" as const,
            name: `${shape}/${variant}`,
            description: `${variant} on ${shape}`,
            server: "service" as const,
            path: "/predict",
            bodies,
            rowsPerRequest: 1,
            env,
            ...(cpus === undefined ? {} : { serverCpus: cpus }),
            connections,
        })),
    );
    const all: CaseResult[][] = [];
    for (let r = 1; r <= rounds; r++) {
        const round: CaseResult[] = [];
        for (const [i, c] of cases.entries()) {
            progress(`round ${r}/${rounds} [${i + 1}/${cases.length}] ${c.name}`);
            round.push(await runHttpCase(c, settings, round));
        }
        all.push(round);
    }
    const results = combineRounds(all).map((c) => ({ ...c, shape: c.name.split("/")[0], variant: c.name.split("/")[1] }));
    console.log("| shape | variant | req/s | p50 ms | p99 ms | peak RSS MB |\n| --- | --- | --- | --- | --- | --- |");
    for (const c of results) console.log(`| ${c.shape} | ${c.variant} | ${c.throughput_rps} | ${c.latency_ms.p50} | ${c.latency_ms.p99} | ${c.peak_rss_mb} |`);
    fs.mkdirSync(settings.outDir, { recursive: true });
    const file = path.join(settings.outDir, "session-options.json");
    fs.writeFileSync(file, `${JSON.stringify({ measured_at: new Date().toISOString(), rounds, duration_s: settings.durationSec, results }, null, 2)}\n`);
    const spec = compile({
        title: "service /predict req/s by onnxruntime session options and deployment shape",
        data: { values: results },
        facet: { row: { field: "shape", type: "nominal", title: null } },
        spec: {
            width: 360,
            layer: [
                { mark: "bar", encoding: { y: { field: "variant", type: "nominal", title: null }, x: { field: "throughput_rps", type: "quantitative", title: "req/s" } } },
                { mark: { type: "text", align: "left", dx: 3 }, encoding: { y: { field: "variant", type: "nominal" }, x: { field: "throughput_rps", type: "quantitative" }, text: { field: "throughput_rps", format: ",.0f" } } },
            ],
        },
    }).spec;
    const view = new vega.View(vega.parse(spec), { renderer: "none" });
    fs.writeFileSync(path.join(settings.outDir, "session-options.svg"), await view.toSVG());
    view.finalize();
    progress(`wrote ${file} and session-options.svg`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
