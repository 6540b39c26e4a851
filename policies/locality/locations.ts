import { PolicyProviderResource } from "@pulumi/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import * as t from "../lib/types";
import { CLOUD_SCHEDULER_JOB } from "../limits/schedule";

/** One place a resource puts data or compute: a known location, or one that cannot be determined. */
export type Placement =
    | { where: string; location: string }
    | { where: string; unknown: string };

export interface LocatedResource {
    type: string;
    props: Record<string, unknown>;
    provider?: PolicyProviderResource;
}

/**
 * AWS services whose resources are global (no region of their own). Every other AWS resource lives in one
 * region — its own `region` property (provider v7), else its provider's — so a data store of any type is
 * located without a per-type list.
 */
const AWS_GLOBAL_MODULES = ["iam", "route53", "cloudfront", "organizations", "budgets", "shield", "globalaccelerator", "waf", "costexplorer", "account", "identitystore", "ssoadmin", "s3control"];
/** GCP types whose `location` falls back to the provider's region (or, for GKE, its zone) when unset. */
const GCP_PROVIDER_LOCATED: readonly string[] = [t.GKE_CLUSTER, t.GKE_NODE_POOL, t.CLOUD_RUN_SERVICE, t.CLOUD_RUN_V1_SERVICE, t.ARTIFACT_REGISTRY_REPOSITORY];
/** GCP types that pick a location of their own when none is given. */
const GCP_DEFAULT_LOCATIONS: Record<string, string> = { [t.BIGQUERY_DATASET]: "US" };

function placementAt(where: string, read: () => unknown, missing?: string): Placement[] {
    const value = readKnown(read);
    if (!value.known) return [{ where, unknown: `${value.path} is computed and cannot be known at preview` }];
    if (typeof value.value === "string" && value.value !== "") return [{ where, location: value.value }];
    return missing === undefined ? [] : [{ where, unknown: missing }];
}

/** One placement per entry of a list property, reading `field` of each entry when given; an unknown list is one unknown placement. */
function listPlacements(where: string, read: () => unknown, field?: string, toLocation: (value: string) => string = (v) => v): Placement[] {
    const list = readKnown(read);
    if (!list.known) return [{ where, unknown: `${list.path} is computed and cannot be known at preview` }];
    const entries = arrayAt(list.value);
    return entries.flatMap((entry, i) => {
        const at = field ? `${where}[${i}].${field}` : `${where}[${i}]`;
        return placementAt(at, () => (field ? objectAt(entry)?.[field] : entries[i])).map((p) => ("location" in p ? { where: p.where, location: toLocation(p.location) } : p));
    });
}

function providerField(provider: PolicyProviderResource | undefined, field: string): () => unknown {
    return () => (provider ? provider.props[field] : undefined);
}

/** The region in an ARN ("arn:aws:backup:eu-west-1:123456789012:backup-vault:x" → "eu-west-1"); the ARN itself when it has none. */
export function regionOfArn(arn: string): string {
    const parts = arn.split(":");
    return parts.length > 3 && parts[3] !== "" ? parts[3] : arn;
}

/** Copies and replicas an AWS resource keeps in other regions: DynamoDB global tables, Backup copy actions, Secrets Manager replicas. */
function awsCopies(type: string, props: Record<string, unknown>): Placement[] {
    if (type === t.DYNAMODB_TABLE || type === t.DYNAMODB_GLOBAL_TABLE) return listPlacements("replicas", () => props.replicas, "regionName");
    if (type === t.SECRETSMANAGER_SECRET) return listPlacements("replicas", () => props.replicas, "region");
    if (type === t.BACKUP_PLAN) {
        const rules = readKnown(() => props.rules);
        if (!rules.known) return [{ where: "rules", unknown: `${rules.path} is computed and cannot be known at preview` }];
        return arrayAt(rules.value).flatMap((rule, i) => listPlacements(`rules[${i}].copyActions`, () => objectAt(rule)?.copyActions, "destinationVaultArn", regionOfArn));
    }
    return [];
}

/** Locations a GCP resource names in nested fields: Secret Manager replicas, Pub/Sub persistence regions. */
function gcpNested(props: Record<string, unknown>): Placement[] {
    return [
        ...listPlacements("replication.userManaged.replicas", () => objectAt(objectAt(props.replication)?.userManaged)?.replicas, "location"),
        ...listPlacements("messageStoragePolicy.allowedPersistenceRegions", () => objectAt(props.messageStoragePolicy)?.allowedPersistenceRegions),
    ];
}

/**
 * Where a resource is located, field by field, the way the provider would resolve it: an explicit property
 * first, else the provider's region or zone, else the service's own default. A located resource whose location
 * cannot be determined yields an `unknown` placement, so the caller reports it instead of passing it. Copies and
 * replicas in other regions count as placements of the resource.
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
        const global = AWS_GLOBAL_MODULES.includes(type.slice(4, type.indexOf("/")));
        const own = placementAt("region", () => props.region);
        const region = own.length > 0 || global ? own
            : placementAt("provider region", providerField(provider, "region"), "neither the resource nor its provider sets a region");
        return [...region, ...zones, ...awsCopies(type, props)];
    }
    if (!type.startsWith("gcp:") || type === CLOUD_SCHEDULER_JOB) return []; // Cloud Scheduler: schedule-residency's.
    if (type === t.GCS_BUCKET) {
        const custom = listPlacements("customPlacementConfig.dataLocations", () => objectAt(props.customPlacementConfig)?.dataLocations);
        if (custom.length > 0) return custom;
        return placementAt("location", () => props.location, "location is not set");
    }
    const own = [...placementAt("location", () => props.location), ...placementAt("locationId", () => props.locationId)];
    const fallback = own.length > 0 ? own
        : GCP_DEFAULT_LOCATIONS[type] !== undefined ? [{ where: "location (unset, the service's default)", location: GCP_DEFAULT_LOCATIONS[type] }]
            : GCP_PROVIDER_LOCATED.includes(type) ? providerPlacement(type, provider) : [];
    if (fallback.length === 0 && GCP_PROVIDER_LOCATED.includes(type)) return [{ where: "location", unknown: "neither location nor the provider's zone or region is set" }];
    return [...fallback, ...placementAt("region", () => props.region), ...placementAt("zone", () => props.zone),
        ...listPlacements("nodeLocations", () => props.nodeLocations), ...gcpNested(props)];
}

/** Where a GCP resource without its own location lands: GKE in the provider's zone, else its region. */
function providerPlacement(type: string, provider: PolicyProviderResource | undefined): Placement[] {
    const zone = type === t.GKE_CLUSTER || type === t.GKE_NODE_POOL ? placementAt("provider zone", providerField(provider, "zone")) : [];
    return zone.length > 0 ? zone : placementAt("provider region", providerField(provider, "region"));
}
