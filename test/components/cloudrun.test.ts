import { strict as assert } from "node:assert";
import { all, input, one, render, types } from "./helpers";

const SERVICE = "gcp:cloudrunv2/service:Service";

describe("cloudrun backend", () => {
    it("sizes the container, its concurrency and the instance range from the spec", async () => {
        const stack = await render("cloudrun", { "model-serving:cpu": "2", "model-serving:memory": "4Gi", "model-serving:minReplicas": "0", "model-serving:maxReplicas": "30", "model-serving:concurrency": "16" });
        const run = one(stack, SERVICE);
        assert.deepEqual(input(run, "template.containers.0.resources.limits"), { cpu: "2", memory: "4Gi" });
        assert.equal(input(run, "template.maxInstanceRequestConcurrency"), 16);
        assert.deepEqual(input(run, "template.scaling"), { minInstanceCount: 0, maxInstanceCount: 30 });
        assert.equal(input(run, "template.containers.0.resources.startupCpuBoost"), true);
        assert.equal(input(run, "template.timeout"), "30s");
        assert.equal(input(run, "location"), "us-central1");
        assert.match(String(input(run, "template.containers.0.image")), /^us-central1-docker\.pkg\.dev\/acme\/property-valuation-test\/property-valuation@sha256:[0-9a-f]{64}$/, "the pushed image, by digest");
    });

    it("gates startup on /ready and restarts on a failing /health, on the service port", async () => {
        const run = one(await render("cloudrun"), SERVICE);
        assert.deepEqual(input(run, "template.containers.0.startupProbe.httpGet"), { path: "/ready", port: 8080 });
        assert.deepEqual(input(run, "template.containers.0.livenessProbe.httpGet"), { path: "/health", port: 8080 });
        assert.equal(input(run, "template.containers.0.ports.containerPort"), 8080);
        const env = input(run, "template.containers.0.envs") as { name: string }[];
        assert.ok(!env.some((e) => e.name === "PORT"), "Cloud Run sets PORT itself and rejects it");
    });

    it("runs as a dedicated service account", async () => {
        const stack = await render("cloudrun");
        const account = one(stack, "gcp:serviceaccount/account:Account");
        assert.equal(input(account, "accountId"), "property-valuation-run-9f86");
        assert.equal(input(one(stack, SERVICE), "template.serviceAccount"), "property-valuation-run-9f86@acme.iam.gserviceaccount.com");
    });

    it("lets only the listed members invoke a private service, and everyone a public one", async () => {
        const privateStack = await render("cloudrun", { "model-serving:invokers": '["group:ml@example.com","serviceAccount:ci@acme.iam.gserviceaccount.com"]' });
        const members = all(privateStack, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
        assert.deepEqual(members.map((m) => [input(m, "role"), input(m, "member")]), [
            ["roles/run.invoker", "group:ml@example.com"], ["roles/run.invoker", "serviceAccount:ci@acme.iam.gserviceaccount.com"],
        ]);
        assert.equal(all(await render("cloudrun"), "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").length, 0);
        const publicStack = await render("cloudrun", { "model-serving:exposure": "public" });
        assert.deepEqual(all(publicStack, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").map((m) => input(m, "member")), ["allUsers"]);
    });

    it("maps the ingress setting to Cloud Run's ingress values", async () => {
        assert.equal(input(one(await render("cloudrun"), SERVICE), "ingress"), "INGRESS_TRAFFIC_ALL");
        assert.equal(input(one(await render("cloudrun", { "model-serving:ingress": "internal" }), SERVICE), "ingress"), "INGRESS_TRAFFIC_INTERNAL_ONLY");
    });

    it("mounts a bucket-sourced model read-only from GCS and points MODEL_DIR at it", async () => {
        const stack = await render("cloudrun", { "model-serving:modelSource": "bucket", "model-serving:modelVersion": "7" });
        const run = one(stack, SERVICE);
        const bucketName = (stack.outputs.resourceNames as Record<string, string>).modelBucket;
        assert.match(bucketName, /^property-valuation-artifacts-models-/);
        assert.deepEqual(input(run, "template.volumes.0.gcs"), { bucket: bucketName, readOnly: true });
        assert.equal(input(run, "template.executionEnvironment"), "EXECUTION_ENVIRONMENT_GEN2");
        const env = Object.fromEntries((input(run, "template.containers.0.envs") as { name: string; value: string }[]).map((e) => [e.name, e.value]));
        assert.equal(env.MODEL_DIR, "/models/property-valuation/7");
        const read = one(stack, "gcp:storage/bucketIAMMember:BucketIAMMember");
        assert.equal(input(read, "role"), "roles/storage.objectViewer");
        assert.equal(input(read, "member"), "serviceAccount:property-valuation-run-9f86@acme.iam.gserviceaccount.com");
    });

    it("keeps images and models in-region: Artifact Registry and a uniform-access bucket with public access prevented", async () => {
        const stack = await render("cloudrun");
        const registry = one(stack, "gcp:artifactregistry/repository:Repository");
        assert.equal(input(registry, "location"), "us-central1");
        assert.equal(input(registry, "format"), "DOCKER");
        const bucket = one(stack, "gcp:storage/bucket:Bucket");
        assert.equal(input(bucket, "location"), "us-central1");
        assert.equal(input(bucket, "uniformBucketLevelAccess"), true);
        assert.equal(input(bucket, "publicAccessPrevention"), "enforced");
        assert.ok(![...types(stack)].some((t) => t.startsWith("kubernetes:") || t.startsWith("aws:")));
    });
});
