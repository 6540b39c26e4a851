import { strict as assert } from "node:assert";
import { jurisdictionOf } from "../../policies/platform/regions";
import { placementsOf } from "../../policies/locality/locations";
import { bucketNameFromArn } from "../../policies/locality/policies";
import { regionsOfLocation, residencyFrom, residencyProblem } from "../../policies/locality/residency";
import { check, messagesOf, provider, resource, UNKNOWN } from "./harness";

const eu = { residency: "eu" as const, allowedRegions: [] };
const aws = (region?: string) => provider("aws", region ? { region } : {});
const gcp = (props: Record<string, unknown>) => provider("gcp", props);

describe("data locality: location mapping", () => {
    it("maps a zone to its region's jurisdiction and a multi-region to its own", () => {
        assert.equal(jurisdictionOf("europe-west1-b"), "eu");
        assert.equal(jurisdictionOf("us-east-1a"), "us");
        assert.equal(jurisdictionOf("EU"), "eu");
        assert.equal(jurisdictionOf("europe-west2"), "uk");
    });

    it("expands predefined GCS dual-regions to both of their regions", () => {
        assert.deepEqual(regionsOfLocation("NAM4"), ["us-central1", "us-east1"]);
        assert.deepEqual(regionsOfLocation("EUR4"), ["europe-north1", "europe-west4"]);
        assert.deepEqual(regionsOfLocation("US-CENTRAL1"), ["us-central1"]);
    });

    it("accepts a location inside the residency and explains one outside it", () => {
        assert.equal(residencyProblem("europe-west4-a", residencyFrom(eu)), undefined);
        assert.equal(residencyProblem("us-central1", residencyFrom(eu)), '"us-central1" is in jurisdiction us, not eu');
        assert.match(String(residencyProblem("mars-north1", residencyFrom(eu))), /is not a region the pack's table knows/);
    });

    it("narrows an area to an explicit region list when one is configured", () => {
        const listed = residencyFrom({ residency: "eu", allowedRegions: ["europe-west4"] });
        assert.equal(residencyProblem("europe-west4-b", listed), undefined);
        assert.equal(residencyProblem("europe-west1", listed), '"europe-west1" is not one of the allowed regions europe-west4');
        // The contradictory wording ("stores data in europe-west3 (eu), outside the residency eu") is gone: the reason is the list.
        assert.equal(residencyProblem("europe-west3-a", residencyFrom({ residency: "eu", allowedRegions: ["europe-west4", "europe-west1"] })),
            '"europe-west3-a" is in europe-west3, which is not one of the allowed regions europe-west4, europe-west1');
    });

    it("takes an AWS resource's region from the resource first and its provider second", () => {
        assert.deepEqual(placementsOf({ type: "aws:ecr/repository:Repository", props: { region: "eu-west-1" }, provider: aws("us-east-1") }), [{ where: "region", location: "eu-west-1" }]);
        assert.deepEqual(placementsOf({ type: "aws:eks/cluster:Cluster", props: {}, provider: aws("us-east-1") }), [{ where: "provider region", location: "us-east-1" }]);
    });

    it("takes a GKE cluster's location from the provider's zone when it sets none", () => {
        assert.deepEqual(placementsOf({ type: "gcp:container/cluster:Cluster", props: {}, provider: gcp({ region: "us-central1", zone: "us-central1-c" }) }), [{ where: "provider zone", location: "us-central1-c" }]);
    });

    it("counts an AWS resource's availability zones and a GCP resource's own zone", () => {
        assert.deepEqual(placementsOf({ type: "aws:ec2/subnet:Subnet", props: { region: "us-east-1", availabilityZone: "us-east-1a" } }).map((p) => p.where), ["region", "availabilityZone"]);
        assert.deepEqual(placementsOf({ type: "gcp:compute/instance:Instance", props: { zone: "europe-west2-b" } }), [{ where: "zone", location: "europe-west2-b" }]);
    });

    it("yields an unknown placement for a located resource nobody locates", () => {
        const [placement] = placementsOf({ type: "aws:lambda/function:Function", props: {}, provider: aws() });
        assert.ok("unknown" in placement);
    });

    it("reads the bucket name out of an S3 ARN", () => {
        assert.equal(bucketNameFromArn("arn:aws:s3:::models-replica"), "models-replica");
    });
});

describe("data locality: data-residency policy", () => {
    it("passes providers and resources inside the residency", async () => {
        const result = await check([
            resource("pulumi:providers:gcp", "default", { region: "europe-west4", project: "p" }),
            resource("gcp:storage/bucket:Bucket", "models", { location: "EU" }, { provider: gcp({ region: "europe-west4" }) }),
            resource("gcp:artifactregistry/repository:Repository", "images", { location: "europe" }),
            resource("gcp:cloudrunv2/service:Service", "svc", { location: "europe-west1" }),
        ], { "data-residency": eu });
        assert.deepEqual(messagesOf(result, "data-residency"), []);
    });

    it("reports the AWS provider's region and a per-resource region outside the residency, not one inside it", async () => {
        const result = await check([
            resource("pulumi:providers:aws", "default", { region: "us-east-1" }),
            resource("aws:s3/bucket:Bucket", "inside", { region: "eu-west-1" }, { provider: aws("us-east-1") }),
            resource("aws:ecr/repository:Repository", "outside", { region: "us-west-2" }, { provider: aws("us-east-1") }),
        ], { "data-residency": eu });
        const messages = messagesOf(result, "data-residency");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /pulumi:providers:aws "default" region "us-east-1" is in jurisdiction us, not eu. Required: every location in jurisdiction eu. Fix: place it in a region of jurisdiction eu/);
        assert.match(messages[1], /aws:ecr\/repository:Repository "outside" region "us-west-2"/);
    });

    it("reports a GCS multi-region and a dual-region of the wrong jurisdiction", async () => {
        const result = await check([
            resource("gcp:storage/bucket:Bucket", "multi", { location: "US" }),
            resource("gcp:storage/bucket:Bucket", "dual", { location: "NAM4" }),
            resource("gcp:storage/bucket:Bucket", "custom", { location: "EU", customPlacementConfig: { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST2"] } }),
        ], { "data-residency": eu });
        const messages = messagesOf(result, "data-residency");
        assert.equal(messages.length, 3);
        assert.match(messages[2], /customPlacementConfig.dataLocations\[1\] "EUROPE-WEST2" is in jurisdiction uk, not eu/);
    });

    it("reports a location unknown at preview as a mandatory violation instead of passing it", async () => {
        const result = await check([resource("gcp:container/cluster:Cluster", "gke", { location: UNKNOWN })], { "data-residency": eu });
        const [violation] = result.violations.filter((v) => v.policyName === "data-residency");
        assert.equal(violation.enforcementLevel, "mandatory");
        assert.match(violation.message, /location is computed and cannot be known at preview/);
    });

    it("reports a subnet in an availability zone outside the residency", async () => {
        const subnet = resource("aws:ec2/subnet:Subnet", "private-0", { region: "eu-west-1", availabilityZone: "us-east-1a" }, { provider: aws("eu-west-1") });
        assert.match(messagesOf(await check([subnet], { "data-residency": eu }), "data-residency")[0], /availabilityZone "us-east-1a" is in us-east-1, which is in jurisdiction us, not eu/);
    });

    it("reports a subnet whose region and zone are outside for one cause once, at the region", async () => {
        const subnet = resource("aws:ec2/subnet:Subnet", "private-0", { region: "us-east-1", availabilityZone: "us-east-1a" }, { provider: aws("us-east-1") });
        assert.deepEqual(messagesOf(await check([subnet], { "data-residency": eu }), "data-residency").map((m) => m.split(" is in")[0]), ['aws:ec2/subnet:Subnet "private-0" region "us-east-1"']);
    });

    it("reports a Lambda whose region neither it nor its provider sets", async () => {
        const result = await check([resource("aws:lambda/function:Function", "fn", {}, { provider: aws() })], { "data-residency": { residency: "us" } });
        assert.match(messagesOf(result, "data-residency")[0], /neither the resource nor its provider sets a region/);
    });
});

describe("data locality: replication-residency policy", () => {
    const bucket = (name: string, region: string) => resource("aws:s3/bucket:Bucket", name, { bucket: name, region }, { provider: aws(region) });
    const replication = (target: string) => resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", {
        bucket: "models", role: "arn:aws:iam::123456789012:role/r", rules: [{ status: "Enabled", destination: { bucket: `arn:aws:s3:::${target}` } }],
    });

    it("passes replication to a managed bucket inside the residency", async () => {
        const result = await check([bucket("models", "eu-west-1"), bucket("replica", "eu-central-1"), replication("replica")], { "replication-residency": eu });
        assert.deepEqual(messagesOf(result, "replication-residency"), []);
    });

    it("reports replication to a bucket outside the residency", async () => {
        const result = await check([bucket("models", "eu-west-1"), bucket("replica", "us-east-1"), replication("replica")], { "replication-residency": eu });
        assert.match(messagesOf(result, "replication-residency")[0], /rules\[0\].destination.bucket: destination aws:s3\/bucket:Bucket "replica" "us-east-1" is in jurisdiction us, not eu/);
    });

    it("reports replication to a bucket the stack does not manage, whose region cannot be known", async () => {
        const result = await check([bucket("models", "eu-west-1"), replication("somewhere-else")], { "replication-residency": eu });
        assert.match(messagesOf(result, "replication-residency")[0], /"somewhere-else" is not managed by this stack/);
    });

    it("reports an ECR replication destination region outside the residency", async () => {
        const ecr = resource("aws:ecr/replicationConfiguration:ReplicationConfiguration", "ecr", {
            replicationConfiguration: { rules: [{ destinations: [{ region: "ap-southeast-1", registryId: "123456789012" }] }] },
        });
        assert.match(messagesOf(await check([ecr], { "replication-residency": eu }), "replication-residency")[0], /"ap-southeast-1" is in jurisdiction apac, not eu/);
    });
});

describe("data locality: every data-storing type, replicas and copies", () => {
    const euConfig = { "data-residency": eu };
    const usProvider = { provider: gcp({ region: "us-central1", project: "p" }) };

    it("reads location on any GCP type: Cloud Run v1, BigQuery (default US when unset), KMS key rings, Secret Manager replicas", async () => {
        const result = await check([
            resource("gcp:cloudrun/service:Service", "v1", { location: "us-central1", template: {} }),
            resource("gcp:bigquery/dataset:Dataset", "unset", { datasetId: "sales" }),
            resource("gcp:bigquery/dataset:Dataset", "eu", { datasetId: "sales_eu", location: "EU" }),
            resource("gcp:kms/keyRing:KeyRing", "ring", { name: "r", location: "us-east1" }),
            resource("gcp:secretmanager/secret:Secret", "s", { secretId: "s", replication: { userManaged: { replicas: [{ location: "europe-west1" }, { location: "us-east4" }] } } }),
        ], euConfig);
        const messages = messagesOf(result, "data-residency");
        assert.equal(messages.length, 4);
        assert.match(messages[0], /cloudrun\/service:Service "v1" location "us-central1" is in jurisdiction us, not eu/);
        assert.match(messages[1], /Dataset "unset" location \(unset, the service's default\) "US" is in jurisdiction us, not eu/);
        assert.match(messages[2], /KeyRing "ring" location "us-east1"/);
        assert.match(messages[3], /replication.userManaged.replicas\[1\].location "us-east4"/);
    });

    it("takes a Cloud Run v1 service's location from its provider when unset", async () => {
        const result = await check([resource("gcp:cloudrun/service:Service", "v1", { template: {} }, usProvider)], euConfig);
        assert.match(messagesOf(result, "data-residency")[0], /provider region "us-central1"/);
    });

    it("locates any regional AWS resource by its own region or its provider's, and follows DynamoDB replicas and Backup copies", async () => {
        const provider = { provider: aws("eu-west-1") };
        const result = await check([
            resource("aws:dynamodb/table:Table", "sales", { name: "sales", replicas: [{ regionName: "eu-central-1" }, { regionName: "us-east-1" }] }, provider),
            resource("aws:backup/plan:Plan", "backup", { rules: [{ ruleName: "daily", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr" }] }] }, provider),
            resource("aws:rds/instance:Instance", "db", { instanceClass: "db.t3.micro" }, { provider: aws("us-east-2") }),
            resource("aws:iam/role:Role", "global", { name: "r" }, { provider: aws("us-east-2") }),
        ], euConfig);
        const messages = messagesOf(result, "data-residency");
        assert.equal(messages.length, 3);
        assert.match(messages[0], /Table "sales" replicas\[1\].regionName "us-east-1" is in jurisdiction us, not eu/);
        assert.match(messages[1], /Plan "backup" rules\[0\].copyActions\[0\].destinationVaultArn "us-west-2"/);
        assert.match(messages[2], /rds\/instance:Instance "db" provider region "us-east-2"/);
    });

    it("passes the same types inside the residency", async () => {
        const result = await check([
            resource("aws:dynamodb/table:Table", "sales", { name: "sales", region: "eu-west-1", replicas: [{ regionName: "eu-central-1" }] }),
            resource("gcp:bigquery/dataset:Dataset", "eu", { datasetId: "sales_eu", location: "EU" }),
            resource("gcp:kms/keyRing:KeyRing", "ring", { name: "r", location: "europe-west4" }),
        ], euConfig);
        assert.deepEqual(messagesOf(result, "data-residency"), []);
    });
});
