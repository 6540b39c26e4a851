import { strict as assert } from "node:assert";
import { parseOverflowConfig } from "../../services/inference/src/overflow";

describe("overflow configuration", () => {
    it("is off without OVERFLOW_URL", () => {
        assert.equal(parseOverflowConfig({}, 64), undefined);
    });

    it("spills at the queue bound by default, so only what would be shed goes to the overflow", () => {
        assert.deepEqual(parseOverflowConfig({ OVERFLOW_URL: "https://overflow.example/" }, 64), { url: "https://overflow.example", queueThreshold: 64, timeoutMs: 10000 });
    });

    it("names each bad variable and its rule", () => {
        assert.throws(
            () => parseOverflowConfig({ OVERFLOW_URL: "overflow", OVERFLOW_QUEUE_THRESHOLD: "-1", OVERFLOW_TIMEOUT_MS: "soon" }, 64),
            /OVERFLOW_URL="overflow" must be an http\(s\) URL; OVERFLOW_QUEUE_THRESHOLD="-1" must be a whole number ≥ 0; OVERFLOW_TIMEOUT_MS="soon" must be a whole number ≥ 1/,
        );
    });
});
