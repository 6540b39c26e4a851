import type { FeatureVector } from "./features";
import { FEATURE_NAMES, MASK_GROUPS } from "./features";
import type { Tree } from "./gbdt";

/**
 * Group-wise (Mondrian) conformal calibration: the interval's correction is measured separately for requests
 * with every optional input ("full"), with none of them ("seed": the guide's five fields) and with some
 * ("partial"), so the 80% holds for each kind of request rather than only on average over a mix of them.
 *
 * The group is a function of which inputs are present, so it ships inside the model as one more tree per
 * bound: a chain of `x <= +∞` tests (true for any number, false for NaN) on the first input of each mask group.
 */
export const INTERVAL_GROUPS = ["full", "seed", "partial"] as const;
export type IntervalGroup = (typeof INTERVAL_GROUPS)[number];

const PROBES = MASK_GROUPS.map((group) => FEATURE_NAMES.indexOf(group[0]));

export function intervalGroupOf(row: readonly number[]): IntervalGroup {
    const present = PROBES.filter((column) => !Number.isNaN(row[column])).length;
    return present === PROBES.length ? "full" : present === 0 ? "seed" : "partial";
}

/** Rows grouped by intervalGroupOf, as lists of row indices. */
export function rowsByGroup(rows: readonly FeatureVector[]): Record<IntervalGroup, number[]> {
    const groups: Record<IntervalGroup, number[]> = { full: [], seed: [], partial: [] };
    rows.forEach((row, i) => groups[intervalGroupOf(row)].push(i));
    return groups;
}

/**
 * The tree whose leaf for a row is `values[intervalGroupOf(row)]`: two chains of presence tests, one following
 * "present so far" (ends in full), one "missing so far" (ends in seed); leaving either chain is partial.
 */
export function groupTree(values: Record<IntervalGroup, number>): Tree {
    const feature: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const add = () => {
        feature.push(-1);
        left.push(0);
        right.push(0);
        value.push(0);
        return feature.length - 1;
    };
    const leaf = (group: IntervalGroup) => {
        const node = add();
        value[node] = values[group];
        return node;
    };
    /** Tests PROBES[k]: present goes left (x <= +∞), NaN goes right. */
    const chain = (k: number, state: "present" | "missing"): number => {
        if (k === PROBES.length) return leaf(state === "present" ? "full" : "seed");
        const node = add();
        feature[node] = PROBES[k];
        if (k === 0) {
            left[node] = chain(1, "present");
            right[node] = chain(1, "missing");
        } else if (state === "present") {
            left[node] = chain(k + 1, "present");
            right[node] = leaf("partial");
        } else {
            left[node] = leaf("partial");
            right[node] = chain(k + 1, "missing");
        }
        return node;
    };
    chain(0, "present");
    const size = feature.length;
    return {
        feature: Int32Array.from(feature),
        threshold: Float32Array.from(feature, (f) => (f >= 0 ? Infinity : 0)),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        missingLeft: new Uint8Array(size),
        value: Float32Array.from(value),
    };
}
