import { strict as assert } from "node:assert";
import { parseMetadata } from "../../services/inference/src/model/metadata";
import { flattenTensorData, InferRequestError, outputTensors, requestedOutputNames, rowsFromInferRequest } from "../../services/inference/src/routes/v2-protocol";
import { linearModelMetadata } from "./fixtures/linear-model";

const metadata = parseMetadata(linearModelMetadata());
const request = (shape: number[], data: Array<number | number[]>) => ({ inputs: [{ name: "features", datatype: "FP32", shape, data }] });

describe("Open Inference Protocol v2 tensors", () => {
    it("flattens nested row-major data and accepts flat data unchanged", () => {
        assert.deepEqual(flattenTensorData("x", [2, 2], [[1, 2], [3, 4]]), [1, 2, 3, 4]);
        assert.deepEqual(flattenTensorData("x", [2, 2], [1, 2, 3, 4]), [1, 2, 3, 4]);
    });

    it("refuses data whose size or nesting disagrees with the shape", () => {
        assert.throws(() => flattenTensorData("x", [2, 2], [1, 2, 3]), /x.data holds 3 values but shape \[2,2\] needs 4/);
        assert.throws(() => flattenTensorData("x", [2, 2], [[1, 2], 3, 4]), /must be flat or nested/);
        assert.throws(() => flattenTensorData("x", [2, 2], [[1, 2, 3], [4]]), /must be flat or nested/);
    });

    it("splits an [N, 5] tensor into N feature rows", () => {
        const rows = rowsFromInferRequest(metadata, request([2, 5], [2000, 3, 2, 7, 0.1, 1000, 1, 1, 1, 0]), 10);
        assert.deepEqual(rows, [[2000, 3, 2, 7, 0.1], [1000, 1, 1, 1, 0]]);
    });

    it("refuses zero rows and rows beyond the maximum batch", () => {
        assert.throws(() => rowsFromInferRequest(metadata, request([0, 5], []), 10), /shape\[0\] must be from 1 to 10 rows, got 0/);
        assert.throws(() => rowsFromInferRequest(metadata, request([11, 5], []), 10), (e: unknown) => e instanceof InferRequestError);
    });

    it("refuses an input listed twice", () => {
        const twice = { inputs: [...request([1, 5], [1, 1, 1, 1, 0]).inputs, ...request([1, 5], [1, 1, 1, 1, 0]).inputs] };
        assert.throws(() => rowsFromInferRequest(metadata, twice, 10), /'features' is given 2 times/);
    });

    it("returns all three outputs unless the request names some, each as an [N, 1] FP32 tensor", () => {
        assert.deepEqual(requestedOutputNames({ inputs: [] }), ["estimate", "lower", "upper"]);
        assert.deepEqual(requestedOutputNames({ inputs: [], outputs: [{ name: "lower" }] }), ["lower"]);
        const tensors = outputTensors(["estimate"], [{ estimate: 5, lower: 4, upper: 6 }, { estimate: 7, lower: 6, upper: 8 }]);
        assert.deepEqual(tensors, [{ name: "estimate", datatype: "FP32", shape: [2, 1], data: [5, 7] }]);
    });
});
