import { strict as assert } from "node:assert";
import { formatBytes, parseQuantity } from "../../policies/platform/quantity";

describe("resource quantities", () => {
    it("reads millicores, plain cores and exponents as cores", () => {
        assert.equal(parseQuantity("500m"), 0.5);
        assert.equal(parseQuantity("2"), 2);
        assert.equal(parseQuantity("1.5"), 1.5);
        assert.equal(parseQuantity("1e3m"), 1);
        assert.equal(parseQuantity(4), 4);
    });

    it("reads binary and decimal memory suffixes as bytes", () => {
        assert.equal(parseQuantity("512Mi"), 512 * 2 ** 20);
        assert.equal(parseQuantity("2Gi"), 2 * 2 ** 30);
        assert.equal(parseQuantity("1G"), 1e9);
        assert.equal(parseQuantity("128974848"), 128974848);
    });

    it("rejects strings that are not quantities", () => {
        assert.equal(parseQuantity("lots"), undefined);
        assert.equal(parseQuantity("2 Gi"), undefined);
        assert.equal(parseQuantity("Gi"), undefined);
    });

    it("writes byte counts with binary suffixes", () => {
        assert.equal(formatBytes(512 * 2 ** 20), "512Mi");
        assert.equal(formatBytes(1.5 * 2 ** 30), "1.5Gi");
    });
});
