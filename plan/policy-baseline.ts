/**
 * Whether a policy config is at least as strict as the documented baseline (policies/baseline.json): the
 * least any stack may enforce. A pull request that relaxes a stack and its policy config together still has to
 * relax the baseline too, which CODEOWNERS sends to the platform owners.
 *
 * Direction comes from the setting's name, the convention every policy's configSchema follows: max* may only be
 * lower, min* only higher, allow* may not turn on what the baseline keeps off, require* may not turn off what it
 * requires, allowed… and public… lists and nodeShapes may only shrink, forbidden… and required… lists only grow; residency
 * "any" in the baseline leaves it to the stack (a test pins it to the stack's own). Anything else must equal it.
 */
import picomatch from "picomatch";
import { EffectivePolicyConfig } from "./policy-config";
import { parseQuantity } from "../policies/platform/quantity";

const LEVEL_RANK: Record<string, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };
/** Lists where empty means "no restriction", so empty is the loosest, not the strictest, value. */
const EMPTY_IS_OPEN = ["allowedRegions", "allowedPublicCidrs"];

const numberOf = (value: unknown) => (typeof value === "number" ? value : typeof value === "string" ? parseQuantity(value) : undefined);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** An allowed entry is covered when the baseline allows it: equal, or a string the baseline's glob matches. */
const covered = (entry: unknown, allowed: unknown[]) =>
    allowed.some((a) => same(a, entry) || (typeof a === "string" && typeof entry === "string" && picomatch.isMatch(entry, a, { dot: true })));

/** Why one setting is looser than the baseline's, or undefined. */
export function relaxation(key: string, value: unknown, baseline: unknown): string | undefined {
    const show = (v: unknown) => JSON.stringify(v);
    if (key.startsWith("max") || key.startsWith("min")) {
        const [v, b] = [numberOf(value), numberOf(baseline)];
        if (v === undefined || b === undefined) return `${key} ${show(value)} cannot be compared with the baseline ${show(baseline)}`;
        const looser = key.startsWith("max") ? v > b : v < b;
        return looser ? `${key} ${show(value)} is looser than the baseline ${show(baseline)}` : undefined;
    }
    if (typeof baseline === "boolean" && key.startsWith("allow")) return value === true && baseline === false ? `${key} true, the baseline keeps it false` : undefined;
    if (typeof baseline === "boolean" && key.startsWith("require")) return value !== true && baseline === true ? `${key} ${show(value)}, the baseline requires true` : undefined;
    if (key === "residency") return baseline === "any" || value === baseline ? undefined : `residency ${show(value)}, the baseline is ${show(baseline)}`;
    if (Array.isArray(baseline) && Array.isArray(value)) {
        if (key.startsWith("forbidden") || key.startsWith("required")) {
            const missing = baseline.filter((b) => !value.some((v) => same(v, b)));
            return missing.length > 0 ? `${key} drops ${show(missing)} that the baseline lists` : undefined;
        }
        if (key.startsWith("allowed") || key.startsWith("public")) {
            if (EMPTY_IS_OPEN.includes(key) && baseline.length > 0 && value.length === 0) return `${key} is empty (no restriction), the baseline lists ${show(baseline)}`;
            if (EMPTY_IS_OPEN.includes(key) && baseline.length === 0) return undefined;
            const extra = value.filter((v) => !covered(v, baseline));
            return extra.length > 0 ? `${key} adds ${show(extra)} beyond the baseline ${show(baseline)}` : undefined;
        }
    }
    if (key === "nodeShapes" && typeof baseline === "object" && baseline !== null && typeof value === "object" && value !== null) {
        const extra = Object.keys(value).filter((type) => !same((value as Record<string, unknown>)[type], (baseline as Record<string, unknown>)[type]));
        return extra.length > 0 ? `nodeShapes describes ${extra.join(", ")} beyond the baseline` : undefined;
    }
    return same(value, baseline) ? undefined : `${key} ${show(value)} differs from the baseline ${show(baseline)}`;
}

/** Every way `config` is looser than `baseline`, one line per setting, prefixed with the policy. */
export function relaxationsOf(config: Record<string, EffectivePolicyConfig>, baseline: Record<string, EffectivePolicyConfig>): string[] {
    return Object.entries(baseline).flatMap(([policy, base]) => {
        const given = config[policy];
        if (!given) return [`${policy}: missing`];
        const level = LEVEL_RANK[given.enforcementLevel] < LEVEL_RANK[base.enforcementLevel]
            ? [`${policy}: enforcement level ${given.enforcementLevel} is below the baseline's ${base.enforcementLevel}`] : [];
        const settings = Object.entries(base.properties).flatMap(([key, b]) => {
            const why = relaxation(key, given.properties[key], b);
            return why ? [`${policy}: ${why}`] : [];
        });
        return [...level, ...settings];
    });
}
