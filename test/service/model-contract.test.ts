import { strict as assert } from "node:assert";
import Ajv from "ajv";
import { inputsUsedOf, instanceSchema, rowFromInstance, rowProblem } from "../../services/inference/src/model/features";
import { checkSessionAgreesWithMetadata, MetadataError, parseMetadata } from "../../services/inference/src/model/metadata";
import { warmupRow } from "../../services/inference/src/model/loader";
import { linearModelMetadata } from "./fixtures/linear-model";

const metadata = parseMetadata(linearModelMetadata());
const signature = {
    inputNames: ["features"],
    outputNames: ["estimate", "lower", "upper"],
    inputMetadata: [{ name: "features", isTensor: true as const, type: "float32", shape: ["N", 5] }],
};

/** The fields the tests below break, typed loosely enough to break them. */
interface MutableMetadata {
    version?: string;
    features: Array<{ name: string; max: number }>;
    inputs: Array<{ shape: number[] }>;
    outputs: unknown[];
    location_scores: Record<string, number>;
}

describe("model metadata contract", () => {
    it("accepts metadata that follows the contract", () => {
        assert.equal(metadata.features.length, 5);
        assert.doesNotThrow(() => checkSessionAgreesWithMetadata(metadata, signature));
    });

    const broken: Array<[string, (m: MutableMetadata) => void, RegExp]> = [
        ["a missing version", (m) => delete m.version, /must have required property 'version'/],
        ["a feature whose min is not below its max", (m) => (m.features[0].max = 1), /"square_feet" has min 200 not below max 1/],
        ["an input shape without one column per feature", (m) => (m.inputs[0].shape = [-1, 4]), /must be \[-1, 5\]/],
        ["a missing output", (m) => m.outputs.pop(), /must NOT have fewer than 3 items|lacks "upper"/],
        ["a zipcode key that is not 5 digits", (m) => (m.location_scores.abc = 1), /property name must be valid|must match pattern/],
        ["a duplicated feature", (m) => (m.features[1].name = "square_feet"), /listed twice/],
    ];
    for (const [what, breakIt, message] of broken) {
        it(`refuses metadata with ${what}`, () => {
            const json = linearModelMetadata() as unknown as MutableMetadata;
            breakIt(json);
            assert.throws(() => parseMetadata(json), (e: unknown) => e instanceof MetadataError && message.test(e.message));
        });
    }

    it("refuses a model whose ONNX inputs, outputs or input shape disagree with the metadata", () => {
        assert.throws(() => checkSessionAgreesWithMetadata(metadata, { ...signature, inputNames: ["x"] }), /inputs \["x"\] differ/);
        assert.throws(() => checkSessionAgreesWithMetadata(metadata, { ...signature, outputNames: ["estimate"] }), /lack metadata outputs \["lower","upper"\]/);
        const wide = [{ name: "features", isTensor: true as const, type: "float32", shape: ["N", 7] }];
        assert.throws(() => checkSessionAgreesWithMetadata(metadata, { ...signature, inputMetadata: wide }), /float32 \["N",7\], metadata needs float32 \[N, 5\]/);
    });

    it("warms up with the middle of every range, rounded for integer features", () => {
        assert.deepEqual(warmupRow(metadata), [7600, 8, 5, 5, 0]);
    });
});

describe("feature rows", () => {
    it("orders a /predict body into tensor columns and resolves a zipcode to its location score", () => {
        assert.deepEqual(rowFromInstance(metadata, { market_trend: 0.1, bathrooms: 2, bedrooms: 3, square_feet: 2000, location_score: 7 }), [2000, 3, 2, 7, 0.1]);
        assert.deepEqual(rowFromInstance(metadata, { square_feet: 2000, bedrooms: 3, bathrooms: 2, zipcode: "98004", market_trend: 0.1 }), [2000, 3, 2, 9.1, 0.1]);
    });

    it("builds the /predict schema from metadata ranges, offering zipcode only when scores exist", () => {
        const schema = instanceSchema(metadata) as { properties: Record<string, Record<string, unknown>> };
        assert.deepEqual([schema.properties.bedrooms.type, schema.properties.bedrooms.minimum, schema.properties.bedrooms.maximum], ["integer", 0, 15]);
        assert.deepEqual(schema.properties.zipcode.enum, ["98001", "98004"]);
        const withoutScores = instanceSchema({ ...metadata, location_scores: {} }) as { properties: Record<string, unknown>; required: string[] };
        assert.equal(withoutScores.properties.zipcode, undefined);
        assert.ok(withoutScores.required.includes("location_score"));
    });

    it("names the first feature of a tensor row that breaks its range or integer rule", () => {
        assert.equal(rowProblem(metadata, [2000, 3, 2, 7, 0.1]), undefined);
        assert.equal(rowProblem(metadata, [100, 3, 2, 7, 0.1]), "square_feet must be >= 200, got 100");
        assert.equal(rowProblem(metadata, [2000, 3.5, 2, 7, 0.1]), "bedrooms must be an integer, got 3.5");
        assert.equal(rowProblem(metadata, [2000, 3, 2, 7, Infinity]), "market_trend must be a finite number");
    });
});

describe("optional inputs (metadata features marked optional)", () => {
    const json = linearModelMetadata() as { features: Array<Record<string, unknown>>; inputs: Array<{ shape: number[] }> };
    json.features.push({ name: "grade", description: "Grade", unit: "grade", min: 1, max: 13, integer: true, optional: true },
        { name: "lat", description: "Latitude", unit: "degrees", min: 47, max: 48, optional: true });
    json.inputs[0].shape = [-1, 7];
    const wide = parseMetadata(json);
    const validate = new Ajv({ allErrors: true }).compile(instanceSchema(wide));
    const seed = { square_feet: 2000, bedrooms: 3, bathrooms: 2, zipcode: "98004", market_trend: 0.1 };

    it("the /predict schema requires the five and accepts any subset of the optional ones, each within its range", () => {
        assert.ok(validate(seed));
        assert.ok(validate({ ...seed, grade: 8 }));
        assert.ok(validate({ ...seed, grade: 8, lat: 47.6 }));
        assert.ok(!validate({ ...seed, grade: 14 }));
        assert.ok(!validate({ ...seed, grade: 7.5 }));
        assert.ok(!validate({ bedrooms: 3, bathrooms: 2, zipcode: "98004", market_trend: 0.1, grade: 8 }), "square_feet stays required");
        assert.ok(!validate({ ...seed, garage: 1 }), "unknown fields are still refused");
    });

    it("an optional input the body leaves out is NaN in its column; inputs_used lists what the estimate used", () => {
        const row = rowFromInstance(wide, { ...seed, lat: 47.6 });
        assert.deepEqual(row.slice(0, 5), [2000, 3, 2, 9.1, 0.1]);
        assert.ok(Number.isNaN(row[5]));
        assert.equal(row[6], 47.6);
        const inputsUsed = inputsUsedOf(wide);
        assert.deepEqual(inputsUsed({ ...seed, lat: 47.6 }), ["square_feet", "bedrooms", "bathrooms", "zipcode", "market_trend", "lat"]);
        assert.deepEqual(inputsUsed({ square_feet: 2000, bedrooms: 3, bathrooms: 2, location_score: 7, market_trend: 0.1 }),
            ["square_feet", "bedrooms", "bathrooms", "location_score", "market_trend"]);
        assert.deepEqual(inputsUsed({ ...seed, grade: 8 }), ["square_feet", "bedrooms", "bathrooms", "zipcode", "market_trend", "grade"]);
        // One list per pattern of present fields, whatever the values.
        assert.equal(inputsUsed({ ...seed, lat: 47.6 }), inputsUsed({ ...seed, square_feet: 900, lat: 47.2 }));
        assert.notEqual(inputsUsed({ ...seed, lat: 47.6 }), inputsUsed({ ...seed, grade: 8 }));
    });

    it("a tensor row may carry NaN (missing) in optional columns only", () => {
        assert.equal(rowProblem(wide, [2000, 3, 2, 7, 0.1, NaN, NaN]), undefined);
        assert.equal(rowProblem(wide, [2000, 3, 2, 7, 0.1, 8, 47.6]), undefined);
        assert.equal(rowProblem(wide, [2000, 3, 2, 7, NaN, 8, 47.6]), "market_trend must be a finite number");
        assert.equal(rowProblem(wide, [2000, 3, 2, 7, 0.1, Infinity, 47.6]), "grade must be a finite number or NaN (missing)");
        assert.equal(rowProblem(wide, [2000, 3, 2, 7, 0.1, 14, 47.6]), "grade must be <= 13, got 14");
    });
});
