import { strict as assert } from "node:assert";
import * as path from "node:path";
import {
    batchPredictBodies,
    featureRows,
    loadMetadata,
    predictBodyStream,
    singlePredictBodies,
    v2InferBodies,
    type FeatureRange,
} from "../../tools/load/bodies";
import { createRandom } from "../../training/split";

const features: FeatureRange[] = [
    { name: "square_feet", min: 200, max: 15000 },
    { name: "bedrooms", min: 0, max: 15, integer: true },
    { name: "market_trend", min: -1, max: 1 },
];

describe("load tools: request bodies", () => {
    it("repeats the same sequence for the same seed and differs across seeds", () => {
        const a = createRandom(42);
        const b = createRandom(42);
        const c = createRandom(43);
        const seqA = [a(), a(), a()];
        assert.deepEqual([b(), b(), b()], seqA);
        assert.notDeepEqual([c(), c(), c()], seqA);
        for (const v of seqA) assert.ok(v >= 0 && v < 1);
    });

    it("keeps every generated value inside its feature's range, integers where the feature is one", () => {
        const rows = featureRows(features, 500);
        assert.equal(rows.length, 500);
        for (const row of rows) {
            row.forEach((v, i) => assert.ok(v >= features[i].min && v <= features[i].max, `${features[i].name}=${v}`));
            assert.ok(Number.isInteger(row[1]));
        }
        assert.ok(new Set(rows.map((r) => r[0])).size > 400, "inputs vary so a cache cannot flatter a case");
    });

    it("names fields after the features for /predict and keeps order for v2", () => {
        const rows = [[1000, 3, 0.5]];
        assert.deepEqual(JSON.parse(singlePredictBodies(features, rows)[0]), { square_feet: 1000, bedrooms: 3, market_trend: 0.5 });
        assert.deepEqual(JSON.parse(v2InferBodies(features, rows)[0]), {
            inputs: [{ name: "features", shape: [1, 3], datatype: "FP32", data: [1000, 3, 0.5] }],
        });
    });

    it("builds batch bodies of the asked size, wrapping around the rows", () => {
        const rows = featureRows(features, 10);
        const bodies = batchPredictBodies(features, rows, 4, 3).map((b) => JSON.parse(b) as { instances: Array<Record<string, number>> });
        assert.equal(bodies.length, 3);
        for (const body of bodies) assert.equal(body.instances.length, 4);
        assert.equal(bodies[2].instances[2].square_feet, rows[0][0], "row 10 wraps to row 0");
    });

    it("packs several rows per v2 request in row-major order", () => {
        const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
        const bodies = v2InferBodies(features, rows, 2).map((b) => JSON.parse(b) as { inputs: Array<{ shape: number[]; data: number[] }> });
        assert.equal(bodies.length, 1, "a partial last request is left out");
        assert.deepEqual(bodies[0].inputs[0].shape, [2, 3]);
        assert.deepEqual(bodies[0].inputs[0].data, [1, 2, 3, 4, 5, 6]);
    });

    it("streams valid bodies for the bundled model, read through the service's own metadata loader", () => {
        const metadata = loadMetadata(path.resolve(__dirname, "..", "..", "services", "inference", "models", "property-valuation", "1"));
        const next = predictBodyStream(metadata, 3);
        const bodies = Array.from({ length: 50 }, () => JSON.parse(next()) as Record<string, number>);
        for (const body of bodies) {
            assert.deepEqual(Object.keys(body), metadata.features.map((f) => f.name));
            for (const f of metadata.features) assert.ok(body[f.name] >= f.min && body[f.name] <= f.max, `${f.name}=${body[f.name]}`);
        }
        assert.ok(new Set(bodies.map((b) => JSON.stringify(b))).size > 45, "bodies vary");
    });
});
