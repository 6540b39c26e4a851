// A fixed number of session.run calls on one model, for counting instructions with a simulator rather than timing
// (the shared VM's load makes timings noisy and it exposes no hardware counters). Used as:
//   valgrind --tool=cachegrind --cache-sim=yes node --import tsx training/session-loop.ts <model dir> <runs> <batch> <csv>
// once with <runs> 0 and once with N: the difference in instructions / N is the cost of one run. Rows: real sales,
// cut to the model's columns as compare-cost.ts does; one intra-op thread, sequential.
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { readSalesCsv } from "./csv";
import { columnsOf, saleFeatures } from "./features";
import { readMetadata } from "./metadata";

async function main(): Promise<void> {
    const [modelDir, runs, batch, data] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
    const metadata = readMetadata(modelDir);
    const columns = columnsOf(metadata.features.map((f) => f.name));
    const rows: number[][] = [];
    for (const sale of readSalesCsv(data).sales) {
        const result = saleFeatures(sale, metadata.location_scores, metadata.market_index.months);
        if ("features" in result) rows.push(columns.map((c) => result.features[c]));
        if (rows.length === 4096) break;
    }
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"),
        { executionProviders: ["cpu"], intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential" });
    const width = rows[0].length;
    const inputs = Array.from({ length: 32 }, (_, b) => {
        const packed = new Float32Array(batch * width);
        for (let r = 0; r < batch; r++) packed.set(rows[(b * batch + r) % rows.length], r * width);
        return new ort.Tensor("float32", packed, [batch, width]);
    });
    for (let i = 0; i < 20 + runs; i++) await session.run({ features: inputs[i % inputs.length] });
    await session.release();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
