import { PolicyProviderResource } from "@pulumi/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";
import { CLOUD_SCHEDULER_JOB } from "../limits/schedule";

/** One place a resource puts data or compute: a known location, a value unknown at preview, or none at all. */
export type Placement =
    | { where: string; location: string }
    | { where: string; unknown: string };

export interface LocatedResource {
    type: string;
    props: Record<string, unknown>;
    provider?: PolicyProviderResource;
}

/** AWS types that always live in one region, taken from the resource's `region` or else from its provider. */
const AWS_REGIONAL_TYPES: readonly string[] = [...t.S3_BUCKET_TYPES, t.ECR_REPOSITORY, t.EKS_CLUSTER, t.LAMBDA_FUNCTION];
/** GCP types whose `location` may fall back to the provider's region or zone. */
const GCP_LOCATION_TYPES: readonly string[] = [t.GKE_CLUSTER, t.GKE_NODE_POOL, t.CLOUD_RUN_SERVICE, t.ARTIFACT_REGISTRY_REPOSITORY];

function placementAt(where: string, read: () => unknown, missing?: string): Placement[] {
    const value = readKnown(read);
    if (!value.known) return [{ where, unknown: `${value.path} is computed and cannot be known at preview` }];
    if (typeof value.value === "string" && value.value !== "") return [{ where, location: value.value }];
    return missing === undefined ? [] : [{ where, unknown: missing }];
}

/** One placement per entry of a list property (zones, node locations, data locations); an unknown list is one unknown placement. */
function listPlacements(where: string, read: () => unknown): Placement[] {
    const list = readKnown(read);
    if (!list.known) return [{ where, unknown: `${list.path} is computed and cannot be known at preview` }];
    const entries = arrayAt(list.value);
    return entries.flatMap((_, i) => placementAt(`${where}[${i}]`, () => entries[i]));
}

function providerField(provider: PolicyProviderResource | undefined, field: string): () => unknown {
    return () => (provider ? provider.props[field] : undefined);
}

/** Where a GCP resource without its own location lands: Cloud Run and Artifact Registry use the provider's region, GKE its zone, else its region. */
function providerPlacement(type: string, provider: PolicyProviderResource | undefined): Placement[] {
    const zone = type === t.GKE_CLUSTER || type === t.GKE_NODE_POOL ? placementAt("provider zone", providerField(provider, "zone")) : [];
    return zone.length > 0 ? zone : placementAt("provider region", providerField(provider, "region"));
}

/**
 * Where a resource is located, field by field, the way the provider would resolve it: an explicit property
 * first, else the provider's region or zone. A located resource whose location cannot be determined yields
 * an `unknown` placement, so the caller reports it instead of passing it. Any AWS resource's own region and
 * availability zones, and any GCP resource's own region and zone, count too (subnets, instances, disks).
 */
export function placementsOf(resource: LocatedResource): Placement[] {
    const { type, props, provider } = resource;
    if (type === t.AWS_PROVIDER) {
        return placementAt("region", () => props.region, "region is not set, so the provider takes it from the environment at run time");
    }
    if (type === t.GCP_PROVIDER) {
        return [...placementAt("region", () => props.region), ...placementAt("zone", () => props.zone)];
    }
    if (type.startsWith("aws:")) {
        const zones = [...placementAt("availabilityZone", () => props.availabilityZone), ...listPlacements("availabilityZones", () => props.availabilityZones)];
        const own = placementAt("region", () => props.region);
        if (own.length > 0 || !AWS_REGIONAL_TYPES.includes(type)) return [...own, ...zones];
        return [...placementAt("provider region", providerField(provider, "region"), "neither the resource nor its provider sets a region"), ...zones];
    }
    if (type === t.GCS_BUCKET) {
        const custom = listPlacements("customPlacementConfig.dataLocations", () => objectAt(props.customPlacementConfig)?.dataLocations);
        if (custom.length > 0) return custom;
        return placementAt("location", () => props.location, "location is not set");
    }
    if (GCP_LOCATION_TYPES.includes(type)) {
        const own = placementAt("location", () => props.location);
        const location = own.length > 0 ? own : providerPlacement(type, provider);
        if (location.length === 0) return [{ where: "location", unknown: "neither location nor the provider's zone or region is set" }];
        return [...location, ...listPlacements("nodeLocations", () => props.nodeLocations)];
    }
    // Cloud Scheduler jobs are schedule-residency's (it also resolves their provider region): not reported twice.
    if (type.startsWith("gcp:") && type !== CLOUD_SCHEDULER_JOB) return [...placementAt("region", () => props.region), ...placementAt("zone", () => props.zone)];
    return [];
}
