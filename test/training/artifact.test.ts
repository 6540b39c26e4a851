import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { onnx } from "onnx-proto";
import { readSalesCsv } from "../../training/csv";
import { evaluateSales, runOnnx } from "../../training/evaluate";
import type { FeatureVector } from "../../training/features";
import { FEATURES } from "../../training/features";
import { DEFAULT_MODEL_DIR, readMetadata } from "../../training/metadata";

const repo = path.resolve(__dirname, "..", "..");
const modelDir = path.join(repo, "services", "inference", "models", "property-valuation", "1");
const realData = path.join(path.resolve(repo, "../shared/data"), "kc_house_data.csv");

describe("committed model artifact services/inference/models/property-valuation/1", () => {
    const metadata = readMetadata(modelDir);
    const onnxFile = path.join(modelDir, "model.onnx");

    it("is the directory the tools use by default, small, with a model card", () => {
        assert.equal(DEFAULT_MODEL_DIR, modelDir);
        const size = fs.statSync(onnxFile).size;
        assert.ok(size < 2 * 1024 * 1024, `model.onnx is ${size} bytes`);
        const card = fs.readFileSync(path.join(modelDir, "README.md"), "utf8");
        assert.ok(card.includes(`$${metadata.metrics.mae.toLocaleString("en-US")}`), "card shows the holdout MAE");
        assert.ok(card.includes(metadata.metrics.ratio.toFixed(3)), "card shows the ratio to the heuristic");
    });

    it("metadata follows the service contract", () => {
        assert.equal(metadata.name, "property-valuation");
        assert.equal(metadata.version, "1");
        assert.deepEqual(metadata.inputs, [{ name: "features", datatype: "FP32", shape: [-1, 5] }]);
        assert.deepEqual(metadata.features.map((f) => f.name), ["square_feet", "bedrooms", "bathrooms", "location_score", "market_trend"]);
        assert.equal(metadata.features[1].integer, true);
        for (const f of metadata.features) assert.ok(f.min < f.max && f.description && f.unit, f.name);
        assert.deepEqual(metadata.outputs.map((o) => [o.name, o.datatype, o.shape]),
            [["estimate", "FP32", [-1, 1]], ["lower", "FP32", [-1, 1]], ["upper", "FP32", [-1, 1]]]);
        assert.equal(metadata.interval.level, 0.8);
        const zips = Object.entries(metadata.location_scores);
        assert.ok(zips.length >= 60, `${zips.length} zipcodes`);
        for (const [zip, score] of zips) assert.ok(/^\d{5}$/.test(zip) && score >= 0 && score <= 10, zip);
        for (const key of ["n", "mae", "mape", "r2", "coverage", "mean_width", "heuristic_mae", "ratio"] as const) {
            assert.equal(typeof metadata.metrics[key], "number", key);
        }
    });

    it("the ONNX graph has exactly the inputs and outputs metadata declares", () => {
        const graph = onnx.ModelProto.decode(fs.readFileSync(onnxFile)).graph as onnx.GraphProto;
        const shape = (v: onnx.IValueInfoProto) => (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? -1 : Number(d.dimValue)));
        assert.deepEqual(graph.input.map((v) => [v.name, shape(v)]), metadata.inputs.map((i) => [i.name, i.shape]));
        assert.deepEqual(graph.output.map((v) => [v.name, shape(v)]), metadata.outputs.map((o) => [o.name, o.shape]));
    });

    it("answers over the whole valid input range with ordered, positive bounds", async () => {
        const rows: FeatureVector[] = [];
        for (let i = 0; i <= 10; i++) {
            const at = (k: number) => FEATURES[k].min + ((FEATURES[k].max - FEATURES[k].min) * ((i * (k + 3)) % 11)) / 10;
            rows.push([at(0), Math.round(at(1)), at(2), at(3), at(4)]);
        }
        const out = await runOnnx(onnxFile, rows);
        out.estimate.forEach((e, i) => assert.ok(Number.isFinite(e) && out.lower[i] > 0 && out.lower[i] <= e && e <= out.upper[i], `row ${i}`));
    });

    // Real King County data is not in the repository; CI provides it beside the clone.
    if (fs.existsSync(realData)) {
        it("meets the quality floor on the internal holdout (real data)", async function () {
            this.timeout(60_000);
            const { sales } = readSalesCsv(realData);
            const { metrics, heuristicMae } = await evaluateSales(sales, modelDir, "test", metadata);
            assert.equal(metrics.n, metadata.metrics.n, "the holdout recomputed from the seed matches the one reported");
            assert.ok(Math.abs(metrics.mae - metadata.metrics.mae) <= 1, `MAE ${metrics.mae} vs reported ${metadata.metrics.mae}`);
            assert.ok(metrics.mae <= 0.85 * heuristicMae, `MAE ${metrics.mae} vs 0.85 × heuristic ${heuristicMae}`);
            assert.ok(metrics.coverage >= 0.77 && metrics.coverage <= 0.83, `coverage ${metrics.coverage}`);
        });
    }
});
