/**
 * Where a cloud location sits legally. Dependency-free on purpose: the program, the advisor and the policy pack
 * (which owns this folder, so it stays self-contained) agree on what "eu" means.
 *
 * Jurisdictions are legal, not geographic: London and Zurich are in Europe but not in the EU, so they map to
 * "uk" and "ch" and an EU-resident service may not run there.
 */

/** A legal area a region belongs to. */
export type Jurisdiction = "us" | "eu" | "uk" | "ch" | "ca" | "apac" | "sa" | "me" | "af" | "il" | "mx";

/** Residency values a stack may declare besides an explicit region list. */
export const RESIDENCY_AREAS = ["any", "us", "eu", "uk", "ch", "ca", "apac", "sa", "me", "af", "il", "mx"] as const;

const AWS_REGIONS: Record<string, Jurisdiction> = {
    "us-east-1": "us", "us-east-2": "us", "us-west-1": "us", "us-west-2": "us",
    "us-gov-east-1": "us", "us-gov-west-1": "us",
    "eu-west-1": "eu", "eu-west-3": "eu", "eu-central-1": "eu", "eu-north-1": "eu", "eu-south-1": "eu", "eu-south-2": "eu",
    "eu-west-2": "uk", "eu-central-2": "ch",
    "ca-central-1": "ca", "ca-west-1": "ca",
    "ap-east-1": "apac", "ap-south-1": "apac", "ap-south-2": "apac", "ap-southeast-1": "apac", "ap-southeast-2": "apac",
    "ap-southeast-3": "apac", "ap-southeast-4": "apac", "ap-southeast-5": "apac", "ap-southeast-7": "apac",
    "ap-northeast-1": "apac", "ap-northeast-2": "apac", "ap-northeast-3": "apac",
    "sa-east-1": "sa", "me-south-1": "me", "me-central-1": "me", "af-south-1": "af", "il-central-1": "il", "mx-central-1": "mx",
};

const GCP_REGIONS: Record<string, Jurisdiction> = {
    "us-central1": "us", "us-east1": "us", "us-east4": "us", "us-east5": "us", "us-south1": "us",
    "us-west1": "us", "us-west2": "us", "us-west3": "us", "us-west4": "us",
    "europe-west1": "eu", "europe-west3": "eu", "europe-west4": "eu", "europe-west8": "eu", "europe-west9": "eu",
    "europe-west10": "eu", "europe-west12": "eu", "europe-north1": "eu", "europe-north2": "eu",
    "europe-central2": "eu", "europe-southwest1": "eu",
    "europe-west2": "uk", "europe-west6": "ch",
    "northamerica-northeast1": "ca", "northamerica-northeast2": "ca", "northamerica-south1": "mx",
    "southamerica-east1": "sa", "southamerica-west1": "sa",
    "asia-east1": "apac", "asia-east2": "apac", "asia-northeast1": "apac", "asia-northeast2": "apac",
    "asia-northeast3": "apac", "asia-south1": "apac", "asia-south2": "apac", "asia-southeast1": "apac",
    "asia-southeast2": "apac", "australia-southeast1": "apac", "australia-southeast2": "apac",
    "me-central1": "me", "me-central2": "me", "me-west1": "il", "africa-south1": "af",
};

/** Multi-region locations (GCS, Artifact Registry) that stay inside one jurisdiction. */
const MULTI_REGIONS: Record<string, Jurisdiction> = { us: "us", eu: "eu", europe: "eu", asia: "apac" };

/** The cloud a region name belongs to, or undefined when neither table knows it. */
export function cloudOf(region: string): "aws" | "gcp" | undefined {
    if (region in AWS_REGIONS) return "aws";
    if (region in GCP_REGIONS) return "gcp";
    return undefined;
}

/**
 * The region a location names: "us-central1-a" (GCP zone) → "us-central1", "us-east-1a" (AWS AZ) → "us-east-1",
 * "US-CENTRAL1" (as GCS reports it) → "us-central1".
 */
export function regionOf(location: string): string {
    const lower = location.trim().toLowerCase();
    if (lower in AWS_REGIONS || lower in GCP_REGIONS || lower in MULTI_REGIONS) return lower;
    const gcpZone = /^(.+\d)-[a-z]$/.exec(lower);
    if (gcpZone && gcpZone[1] in GCP_REGIONS) return gcpZone[1];
    const awsZone = /^(.+-\d)[a-z]$/.exec(lower);
    if (awsZone && awsZone[1] in AWS_REGIONS) return awsZone[1];
    return lower;
}

/** The jurisdiction of an AWS or GCP region, zone or multi-region; undefined when the location is unknown. */
export function jurisdictionOf(location: string): Jurisdiction | undefined {
    const region = regionOf(location);
    return AWS_REGIONS[region] ?? GCP_REGIONS[region] ?? MULTI_REGIONS[region];
}

/** Every region of one cloud, for error messages and docs. */
export function regionsOf(cloud: "aws" | "gcp"): string[] {
    return Object.keys(cloud === "aws" ? AWS_REGIONS : GCP_REGIONS);
}

/** A residency area such as "eu", or "any" for no restriction. */
export type ResidencyArea = (typeof RESIDENCY_AREAS)[number];

/** Data residency as declared by a stack: an area, optionally narrowed to an explicit list of regions. */
export interface Residency {
    /** Jurisdiction every location must lie in; "any" = unrestricted. */
    area: ResidencyArea;
    /** When present, the only regions allowed (also subject to `area`). */
    regions?: string[];
}

/** Whether a location satisfies a residency declaration. Unknown locations never satisfy a restriction. */
export function allowedBy(residency: Residency, location: string): boolean {
    if (residency.regions && !residency.regions.includes(regionOf(location))) return false;
    return residency.area === "any" || jurisdictionOf(location) === residency.area;
}

/** Human wording of a residency, e.g. `eu` or `eu, regions [europe-west4, europe-west1]`. */
export function describeResidency(residency: Residency): string {
    return residency.regions ? `${residency.area}, regions [${residency.regions.join(", ")}]` : residency.area;
}
