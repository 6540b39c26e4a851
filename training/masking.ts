import type { FeatureVector } from "./features";
import { FEATURE_NAMES, MASK_GROUPS, seedOnly } from "./features";

/**
 * Masked training copies, so one set of trees serves every subset of the optional inputs: each fitted sale is
 * kept as recorded and added `copies` more times with inputs removed — every other copy the five required
 * inputs only (the guide's request shape), the others with each MASK_GROUPS group dropped independently with
 * probability 1/2 (any subset). Trees then learn where a missing input should send a house, from houses that
 * really lacked it.
 */
export function maskedCopies(rows: readonly FeatureVector[], copies: number, random: () => number): FeatureVector[] {
    const out: FeatureVector[] = [];
    for (let c = 0; c < copies; c++) {
        for (const row of rows) out.push(c % 2 === 0 ? seedOnly(row) : randomSubset(row, random));
    }
    return out;
}

/** The row with each group of optional inputs dropped with probability 1/2. */
export function randomSubset(row: readonly number[], random: () => number): FeatureVector {
    const out = [...row];
    for (const group of MASK_GROUPS) {
        if (random() < 0.5) for (const name of group) out[FEATURE_NAMES.indexOf(name)] = NaN;
    }
    return out;
}
