import { PolicyConfigSchema } from "@pulumi/policy";
import { allowedBy, jurisdictionOf, regionOf, Residency, RESIDENCY_AREAS, ResidencyArea } from "../platform/regions";

/** The residency part of a locality policy's config: an area preset, optionally narrowed to explicit regions. */
export interface ResidencyConfig {
    residency: ResidencyArea;
    allowedRegions: string[];
}

export const residencyConfigSchema: PolicyConfigSchema = {
    properties: {
        residency: {
            type: "string",
            enum: [...RESIDENCY_AREAS],
            default: "us",
            description: "Jurisdiction every located resource must stay in (\"any\" switches the check off).",
        },
        allowedRegions: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "When not empty, the only regions allowed, on top of residency (use residency \"any\" for a pure list). Zones map to their region; multi-regions must be listed by name, e.g. \"eu\".",
        },
    },
};

export function residencyFrom(config: ResidencyConfig): Residency {
    if (config.allowedRegions.length === 0) return { area: config.residency };
    return { area: config.residency, regions: config.allowedRegions.map((region) => regionOf(region)) };
}

/** Predefined GCS dual-regions and the two regions each stores data in. */
const GCS_DUAL_REGIONS: Record<string, string[]> = {
    nam4: ["us-central1", "us-east1"],
    eur4: ["europe-north1", "europe-west4"],
    asia1: ["asia-northeast1", "asia-northeast2"],
};

/** The regions (or multi-regions) a location stores data in: a zone is its region, a dual-region its two regions. */
export function regionsOfLocation(location: string): string[] {
    return GCS_DUAL_REGIONS[location.trim().toLowerCase()] ?? [regionOf(location)];
}

/**
 * Why a location breaks a residency, or undefined when it respects it. Every region the location stores data
 * in must be allowed; a location no table knows never satisfies a restriction. The wording names the actual
 * reason: the jurisdiction, the explicit region list, or a location the tables do not know.
 */
export function residencyProblem(location: string, residency: Residency): string | undefined {
    const regions = regionsOfLocation(location);
    const outside = regions.filter((region) => !allowedBy(residency, region));
    if (outside.length === 0) return undefined;
    const reason = (region: string) => {
        const jurisdiction = jurisdictionOf(region);
        if (jurisdiction === undefined) return "is not a region the pack's table knows, so it cannot be shown to be inside the residency";
        if (residency.area !== "any" && jurisdiction !== residency.area) return `is in jurisdiction ${jurisdiction}, not ${residency.area}`;
        return `is not one of the allowed regions ${residency.regions?.join(", ")}`;
    };
    if (regions.length === 1) {
        const region = regions[0];
        return region === location.trim().toLowerCase() ? `"${location}" ${reason(region)}` : `"${location}" is in ${region}, which ${reason(region)}`;
    }
    return `"${location}" stores data in ${regions.join(" and ")}: ${outside.map((region) => `${region} ${reason(region)}`).join("; ")}`;
}

/** What the residency requires, in words: "locations in eu, only europe-west4 or europe-west1". */
export function residencyRequirement(residency: Residency): string {
    const area = residency.area === "any" ? "any jurisdiction" : `jurisdiction ${residency.area}`;
    return residency.regions ? `every location in ${area}, and only in ${residency.regions.join(" or ")}` : `every location in ${area}`;
}

/** The fix that keeps the residency: move the resource, never widen the rule. */
export function residencyFix(residency: Residency): string {
    const where = residency.regions ? residency.regions.join(" or ") : `a region of jurisdiction ${residency.area}`;
    return `place it in ${where} (its location / region, or the provider's region; on the ModelService the stack's region keys)`;
}
