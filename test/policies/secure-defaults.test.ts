import { strict as assert } from "node:assert";
import { securityContextProblems } from "../../policies/secure-defaults/containers";
import { imagePinProblem } from "../../policies/supply-chain/images";
import { publicInvokers } from "../../policies/secure-defaults/exposure";
import { check, messagesOf, resource, UNKNOWN } from "./harness";
import { cloudRunProps, container, deploymentProps, lambdaProps } from "./workloads";

describe("secure defaults: container security context", () => {
    it("accepts non-root, no escalation and a read-only root filesystem", () => {
        assert.deepEqual(securityContextProblems(container(), {}, true), []);
    });

    it("lets the pod's securityContext supply runAsNonRoot", () => {
        const c = container({ securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } });
        assert.deepEqual(securityContextProblems(c, { securityContext: { runAsNonRoot: true, runAsUser: 10001 } }, true), []);
    });

    it("names each missing protection", () => {
        assert.deepEqual(securityContextProblems(container({ securityContext: { runAsUser: 0, privileged: true } }), {}, true), [
            "securityContext.runAsNonRoot is not true", "securityContext.runAsUser is 0 (root)", "securityContext.privileged is true",
            "securityContext.allowPrivilegeEscalation is not false", "securityContext.readOnlyRootFilesystem is not true",
        ]);
    });

    it("fails a StatefulSet whose init container runs as root and passes a hardened Deployment", async () => {
        const rootInit = container({ name: "chown", securityContext: { runAsUser: 0 } });
        const result = await check([
            resource("kubernetes:apps/v1:StatefulSet", "cache", deploymentProps([container()], [rootInit])),
            resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps()),
        ]);
        const messages = messagesOf(result, "container-security-context");
        assert.equal(messages.length, 1);
        assert.match(messages[0], /StatefulSet "cache" initContainer "chown": securityContext.runAsNonRoot is not true; securityContext.runAsUser is 0/);
    });
});

describe("secure defaults: pinned images", () => {
    it("accepts a version tag or a digest, also behind a registry port", () => {
        assert.equal(imagePinProblem("registry:5000/acme/inference:1.4.2", ["latest"], false), undefined);
        assert.equal(imagePinProblem(`acme/inference@sha256:${"0".repeat(64)}`, ["latest"], true), undefined);
    });

    it("rejects :latest, a missing tag and, when digests are required, any tag", () => {
        assert.equal(imagePinProblem("acme/inference:latest", ["latest"], false), 'image "acme/inference:latest" uses the mutable tag "latest"');
        assert.equal(imagePinProblem("registry:5000/acme/inference", ["latest"], false), 'image "registry:5000/acme/inference" has no tag, so it resolves to :latest');
        assert.match(String(imagePinProblem("acme/inference:1.4.2", ["latest"], true)), /not pinned by digest/);
    });

    it("checks Kubernetes, Cloud Run and Lambda images through the pack", async () => {
        const result = await check([
            resource("kubernetes:batch/v1:Job", "warm", { spec: { template: { spec: { containers: [container({ image: "acme/warm" })] } } } }),
            resource("gcp:cloudrunv2/service:Service", "svc", cloudRunProps({ image: "gcr.io/acme/inference:latest" })),
            resource("aws:lambda/function:Function", "fn", lambdaProps()),
        ]);
        const messages = messagesOf(result, "image-pinned");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /Job "warm" container "inference": image "acme\/warm" has no tag/);
        assert.match(messages[1], /template.containers\[0\].image: image "gcr.io\/acme\/inference:latest" uses the mutable tag "latest"/);
    });
});

describe("secure defaults: buckets", () => {
    const s3 = resource("aws:s3/bucket:Bucket", "models", { bucket: "models-1a2b3c", region: "us-east-1" });
    const blockAll = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    // At preview a companion's `bucket` is the unknown bucket id; the engine links it through propertyDependencies.
    const companion = (type: string, props: Record<string, unknown>) =>
        resource(type, "models", { bucket: UNKNOWN, ...props }, { propertyDependencies: { bucket: [s3.urn] }, dependencies: [s3.urn] });
    const encryption = (algorithm: string) => companion("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }] });

    it("passes an S3 bucket with a full public access block and an encryption configuration linked by dependency", async () => {
        const result = await check([s3, companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", blockAll), encryption("aws:kms")], { "bucket-encrypted": { requireKms: true } });
        assert.deepEqual([...messagesOf(result, "bucket-private"), ...messagesOf(result, "bucket-encrypted")], []);
    });

    it("fails a public S3 bucket: public-read ACL and a partial public access block", async () => {
        const publicBucket = { ...s3, props: { ...s3.props, acl: "public-read" } };
        const result = await check([publicBucket, companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { ...blockAll, restrictPublicBuckets: false }), encryption("AES256")]);
        assert.match(messagesOf(result, "bucket-private")[0], /is not private: canned ACL "public-read" makes it public; .* leaves restrictPublicBuckets unset or false/);
        // The fix keeps the rule: the message never points at the exemption list.
        assert.match(messagesOf(result, "bucket-private")[0], /Fix: add a BucketPublicAccessBlock .* and remove the public ACL/);
        assert.doesNotMatch(messagesOf(result, "bucket-private")[0], /publicBuckets/);
    });

    it("fails an S3 bucket without encryption configuration, and AES256 where KMS is required", async () => {
        const block = companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", blockAll);
        assert.match(messagesOf(await check([s3, block]), "bucket-encrypted")[0], /declares no server-side encryption configuration/);
        assert.match(messagesOf(await check([s3, block, encryption("AES256")], { "bucket-encrypted": { requireKms: true } }), "bucket-encrypted")[0], /encrypts with AES256. Required: aws:kms default encryption. Fix: set sseAlgorithm aws:kms/);
    });

    it("passes a GCS bucket with enforced public access prevention and fails one granted to allUsers", async () => {
        const gcs = resource("gcp:storage/bucket:Bucket", "models", { name: "acme-models", location: "US", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" });
        assert.deepEqual(messagesOf(await check([gcs]), "bucket-private"), []);
        const grant = resource("gcp:storage/bucketIAMMember:BucketIAMMember", "public-read", { bucket: "acme-models", role: "roles/storage.objectViewer", member: "allUsers" });
        const loose = { ...gcs, props: { ...gcs.props, publicAccessPrevention: "inherited" } };
        assert.match(messagesOf(await check([loose, grant]), "bucket-private")[0], /publicAccessPrevention is "inherited", not "enforced"; .*grants roles\/storage.objectViewer to allUsers/);
    });

    it("lets the config exempt a bucket meant to be public", async () => {
        const gcs = resource("gcp:storage/bucket:Bucket", "site", { location: "US" });
        assert.equal(messagesOf(await check([gcs]), "bucket-private").length, 1);
        assert.deepEqual(messagesOf(await check([gcs], { "bucket-private": { publicBuckets: ["site"] } }), "bucket-private"), []);
    });
});

describe("secure defaults: exposure", () => {
    it("requires AWS_IAM on Lambda Function URLs unless public URLs are allowed", async () => {
        const open = resource("aws:lambda/functionUrl:FunctionUrl", "url", { functionName: "fn", authorizationType: "NONE" });
        assert.match(messagesOf(await check([open]), "lambda-url-auth")[0], /authorizationType "NONE", so anyone on the internet can invoke the function. Required: AWS_IAM authorization. Fix: set authorizationType AWS_IAM/);
        assert.deepEqual(messagesOf(await check([open], { "lambda-url-auth": { allowPublic: true } }), "lambda-url-auth"), []);
        const iam = resource("aws:lambda/functionUrl:FunctionUrl", "url", { functionName: "fn", authorizationType: "AWS_IAM" });
        assert.deepEqual(messagesOf(await check([iam]), "lambda-url-auth"), []);
    });

    it("finds public invokers in members, bindings and policy documents, ignoring other roles", () => {
        assert.deepEqual(publicInvokers("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", { role: "roles/run.invoker", members: ["group:ml@example.com", "allAuthenticatedUsers"] }), ["allAuthenticatedUsers"]);
        assert.deepEqual(publicInvokers("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", { role: "roles/run.viewer", member: "allUsers" }), []);
        const policyData = JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }] });
        assert.deepEqual(publicInvokers("gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", { policyData }), ["allUsers"]);
    });

    it("fails an allUsers invoker and a service with invoker IAM disabled, passes a named invoker", async () => {
        const result = await check([
            resource("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "public", { name: "svc", role: "roles/run.invoker", member: "allUsers" }),
            resource("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "team", { name: "svc", role: "roles/run.invoker", member: "group:ml@example.com" }),
            resource("gcp:cloudrunv2/service:Service", "svc", { ...cloudRunProps(), invokerIamDisabled: true }),
        ]);
        const messages = messagesOf(result, "cloudrun-public-invoker");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /"public" grants roles\/run.invoker to allUsers/);
        assert.match(messages[1], /sets invokerIamDisabled/);
    });

    it("fails a LoadBalancer Service unless allowed and passes ClusterIP", async () => {
        const lb = resource("kubernetes:core/v1:Service", "inference", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } });
        assert.match(messagesOf(await check([lb]), "k8s-service-type")[0], /spec.type LoadBalancer, which opens it outside the cluster. Required: type ClusterIP. Fix: make it ClusterIP and route outside traffic through an Ingress or Gateway/);
        assert.deepEqual(messagesOf(await check([lb], { "k8s-service-type": { allowLoadBalancer: true } }), "k8s-service-type"), []);
        const clusterIp = resource("kubernetes:core/v1:Service", "inference", { spec: { type: "ClusterIP" } });
        assert.deepEqual(messagesOf(await check([clusterIp]), "k8s-service-type"), []);
    });
});
