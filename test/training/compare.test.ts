import { strict as assert } from "node:assert";
import { compareEvaluations, type Evaluation } from "../../training/evaluate";
import { compareMae } from "../../training/metrics";

const evaluation = (errors: Record<string, number>): Evaluation => ({
    metrics: { n: 0, mae: 0, mape: 0, r2: 0, coverage: 0, mean_width: 0 },
    heuristicMae: 0,
    skipped: {},
    otherParts: 0,
    absoluteErrors: new Map(Object.entries(errors)),
});

describe("comparing two models sale by sale", () => {
    it("gives the MAE difference with a 95% interval from the paired differences", () => {
        // Differences −1, 0, 1, 2: mean 0.5, sample SD √(5/3), standard error √(5/3) / 2.
        const c = compareMae([1, 2, 3, 4], [2, 2, 2, 2]);
        assert.equal(c.n, 4);
        assert.equal(c.candidate_mae, 2.5);
        assert.equal(c.baseline_mae, 2);
        assert.equal(c.mae_difference, 0.5);
        const halfWidth = 1.96 * Math.sqrt(5 / 3) / 2;
        assert.ok(Math.abs(c.mae_difference_ci95[0] - (0.5 - halfWidth)) < 1e-12);
        assert.ok(Math.abs(c.mae_difference_ci95[1] - (0.5 + halfWidth)) < 1e-12);
    });

    it("a model against itself differs by exactly nothing", () => {
        const c = compareMae([5, 7, 9], [5, 7, 9]);
        assert.equal(c.mae_difference, 0);
        assert.deepEqual(c.mae_difference_ci95, [0, 0]);
    });

    it("refuses errors that are not paired", () => {
        assert.throws(() => compareMae([1, 2], [1]), /paired errors differ in length: 2 vs 1/);
        assert.throws(() => compareMae([1], [1]), /at least two sales in common/);
    });

    it("pairs the sales both models scored and leaves out the rest", () => {
        const c = compareEvaluations(evaluation({ "1@100": 10, "2@100": 20, "3@100": 999 }), evaluation({ "2@100": 10, "1@100": 10, "4@100": 999 }));
        assert.equal(c.n, 2);
        assert.equal(c.candidate_mae, 15);
        assert.equal(c.baseline_mae, 10);
    });
});
