import { strict as assert } from "node:assert";
import fc from "fast-check";
import { conformalQuantile, cqrScores } from "../../training/conformal";
import { createRandom } from "../../training/split";

describe("training/conformal", () => {
    it("scores are the distance outside the band (negative inside)", () => {
        assert.deepEqual(Array.from(cqrScores([1, 1, 1], [3, 3, 3], [0, 2, 5])), [1, -1, 2]);
    });

    it("takes the ⌈(n+1)·level⌉-th smallest score", () => {
        const scores = Array.from({ length: 9 }, (_, i) => i + 1); // 1..9
        assert.equal(conformalQuantile(scores, 0.8), 8); // ⌈10 · 0.8⌉ = 8
        assert.throws(() => conformalQuantile([1, 2, 3], 0.8), /too few calibration rows \(3\)/);
        assert.throws(() => conformalQuantile(scores, 1), /level must be in \(0, 1\)/);
    });

    it("widening by the correction covers at least `level` of the calibration scores", () => {
        fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 40, maxLength: 200 }),
            fc.double({ min: 0.5, max: 0.95, noNaN: true }), (scores, level) => {
                const q = conformalQuantile(scores, level);
                return scores.filter((s) => s <= q).length / scores.length >= level;
            }));
    });

    it("calibrates a badly sized band to the nominal coverage on fresh data", () => {
        const random = createRandom(3);
        const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        const sample = (n: number) => Array.from({ length: n }, gaussian);
        // A band of ±0.3 is far too narrow for N(0, 1); the correction fixes it.
        const calibration = sample(2000);
        const q = conformalQuantile(cqrScores(calibration.map(() => -0.3), calibration.map(() => 0.3), calibration), 0.8);
        const fresh = sample(20000);
        const covered = fresh.filter((y) => y >= -0.3 - q && y <= 0.3 + q).length / fresh.length;
        assert.ok(Math.abs(covered - 0.8) < 0.02, `coverage ${covered}`);
    });
});
