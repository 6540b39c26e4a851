import type { Matrix } from "./gbdt";

/**
 * The log-linear baseline the trees boost from:
 *   offset(x) = logSquareFeet × ln(square_feet) + locationScore × location_score
 * It is the appraisal heuristic in log form (price ∝ sqft^b × zipcode level) with fitted slopes. Starting
 * the trees from it, rather than from a constant, means they only learn corrections, which sparse
 * zipcodes cannot push far from a sensible price. (The intercept lives in the ensembles' base values.)
 */
export interface LinearOffset {
    logSquareFeet: number;
    locationScore: number;
}

export const SQUARE_FEET_COLUMN = 0;
export const LOCATION_SCORE_COLUMN = 3;

/** offset(x) per row, computed in float32 steps like the ONNX graph (Log, Mul, Add on float tensors). */
export function linearOffsets(offset: LinearOffset, X: Matrix): Float64Array {
    const f = Math.fround;
    const sqft = X.columns[SQUARE_FEET_COLUMN];
    const score = X.columns[LOCATION_SCORE_COLUMN];
    return Float64Array.from(sqft, (s, i) =>
        f(f(f(Math.log(s)) * f(offset.logSquareFeet)) + f(score[i] * f(offset.locationScore))));
}

/** Least squares of y on [1, ln(square_feet), location_score]; returns the two slopes (float32). */
export function fitLinearOffset(X: Matrix, y: ArrayLike<number>): LinearOffset {
    const sqft = X.columns[SQUARE_FEET_COLUMN];
    const score = X.columns[LOCATION_SCORE_COLUMN];
    // Normal equations on centred columns, so the intercept drops out of a 2×2 solve.
    const n = y.length;
    let ma = 0, mb = 0, my = 0;
    for (let i = 0; i < n; i++) {
        ma += Math.log(sqft[i]) / n;
        mb += score[i] / n;
        my += y[i] / n;
    }
    let saa = 0, sbb = 0, sab = 0, say = 0, sby = 0;
    for (let i = 0; i < n; i++) {
        const a = Math.log(sqft[i]) - ma;
        const b = score[i] - mb;
        const d = y[i] - my;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
        say += a * d;
        sby += b * d;
    }
    const det = saa * sbb - sab * sab;
    if (!(Math.abs(det) > 1e-12 * (saa * sbb + 1e-300))) return { logSquareFeet: 0, locationScore: 0 };
    return {
        logSquareFeet: Math.fround((say * sbb - sby * sab) / det),
        locationScore: Math.fround((sby * saa - say * sab) / det),
    };
}
