import type { Ensemble, Matrix } from "./gbdt";
import { predictEnsemble } from "./gbdt";
import type { LinearOffset } from "./linear";
import { linearOffsets } from "./linear";

/**
 * The trained valuation model: a log-linear baseline plus three boosted ensembles on log(price). `lower` and `upper` already include
 * the conformal correction in their base values, exactly as exported to ONNX.
 */
export interface ValuationModel {
    /** Log-linear baseline added to all three ensembles. */
    offset: LinearOffset;
    estimate: Ensemble;
    lower: Ensemble;
    upper: Ensemble;
}

export interface PricePredictions {
    estimate: Float64Array;
    lower: Float64Array;
    upper: Float64Array;
}

/** Shifts an ensemble's output by a constant, kept in float32 like every exported number. */
export function shiftEnsemble(ensemble: Ensemble, offset: number): Ensemble {
    return { base: Math.fround(ensemble.base + offset), trees: ensemble.trees };
}

/**
 * USD predictions, computed as the ONNX graph does: exp of each ensemble, then the bounds are clamped
 * around the estimate (the quantile and mean models are separate fits and could otherwise cross it).
 */
export function predictPrices(model: ValuationModel, X: Matrix): PricePredictions {
    const offsets = linearOffsets(model.offset, X);
    const estimate = predictEnsemble(model.estimate, X).map((v, i) => Math.exp(v + offsets[i]));
    const lower = predictEnsemble(model.lower, X).map((v, i) => Math.min(Math.exp(v + offsets[i]), estimate[i]));
    const upper = predictEnsemble(model.upper, X).map((v, i) => Math.max(Math.exp(v + offsets[i]), estimate[i]));
    return { estimate, lower, upper };
}
