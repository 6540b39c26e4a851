// The limit: session.run in a loop, in-process, on the same rows the HTTP cases send, with no HTTP, no JSON.
// Run as a child process by bench/run.ts so its peak RSS is its own. Prints one JSON line with the result.
// Args: --model-dir DIR --rows N --duration S. The session is built as the service builds it (ORT_* variables).
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { parseConfig } from "../services/inference/src/config";
import { sessionOptions } from "../services/inference/src/model/loader";
import { featureRows, loadMetadata } from "../tools/load/bodies";
import { MIB, processMemory } from "../tools/load/memory";
import { latencyPercentiles } from "../tools/load/stats";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            "model-dir": { type: "string" },
            rows: { type: "string", default: "1" },
            duration: { type: "string", default: "2" },
        },
    });
    const modelDir = values["model-dir"];
    if (!modelDir) throw new Error("--model-dir is required");
    const rowsPerRun = Number(values.rows);
    const durationMs = Number(values.duration) * 1000;

    const info = loadMetadata(modelDir);
    const width = info.features.length;
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"), sessionOptions(parseConfig(process.env).session));
    // The same seeded rows as the HTTP cases (a batch case's 64 bodies hold 64 × rowsPerRun of them), pre-packed so
    // the loop measures session.run and nothing else.
    const rows = featureRows(info.features, Math.max(256, 64 * rowsPerRun));
    const inputs = Array.from({ length: 64 }, (_, b) => {
        const data = new Float32Array(rowsPerRun * width);
        for (let r = 0; r < rowsPerRun; r++) data.set(rows[(b * rowsPerRun + r) % rows.length], r * width);
        return new ort.Tensor("float32", data, [rowsPerRun, width]);
    });

    for (let i = 0; i < 50; i++) await session.run({ features: inputs[i % inputs.length] }); // warm-up

    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    let now = start;
    for (let i = 0; now - start < durationMs; i++) {
        const before = now;
        await session.run({ features: inputs[i % inputs.length] });
        now = performance.now();
        latencies.push(now - before);
    }
    const durationS = (now - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
        JSON.stringify({
            requests: latencies.length,
            failures: 0,
            duration_s: durationS,
            throughput_rps: latencies.length / durationS,
            latency_ms: latencyPercentiles(latencies),
            peak_rss_mb: processMemory(process.pid).peakRssBytes / MIB,
            cpu_ms_per_request: (cpu.user + cpu.system) / 1000 / latencies.length,
        }),
    );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
