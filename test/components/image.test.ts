import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { digestReference, imagePlatform } from "../../components/backends/image";
import { readStackConfigFile, renderStack, type RenderedStack } from "../../plan/render";
import { all, input, one, render } from "./helpers";

const IMAGE = "docker-build:index:Image";
/** Resources that run the service image. */
const WORKLOADS = ["kubernetes:apps/v1:Deployment", "gcp:cloudrunv2/service:Service", "aws:lambda/function:Function"];
const stacksDir = path.resolve(__dirname, "../../stacks");
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

/** The image reference a workload runs. */
function imageOf(workload: RenderedStack["resources"][number]): unknown {
    if (workload.type === "aws:lambda/function:Function") return input(workload, "imageUri");
    if (workload.type === "gcp:cloudrunv2/service:Service") return input(workload, "template.containers.0.image");
    return input(workload, "spec.template.spec.containers.0.image");
}

describe("service image built and pushed inside pulumi up (issue 11)", () => {
    it("pins a digest reference and refuses anything that is not a sha256 digest", () => {
        assert.equal(digestReference("r.example/svc", DIGEST), `r.example/svc@${DIGEST}`);
        assert.throws(() => digestReference("r.example/svc", "sha256:abc"), /not sha256:<64 hex>/);
        assert.deepEqual([imagePlatform("x86_64"), imagePlatform("arm64")], ["linux/amd64", "linux/arm64"]);
    });

    for (const file of fs.readdirSync(stacksDir).filter((f) => f.endsWith(".yaml"))) {
        it(`${file}: the plan builds the image and every workload depends on the build and runs it by digest`, async () => {
            const { stack, config } = readStackConfigFile(path.join(stacksDir, file));
            const preview = await renderStack({ stack, config, preview: true });
            const builds = all(preview, IMAGE);
            assert.ok(builds.length > 0, "an image build resource");
            const workloads = preview.resources.filter((r) => WORKLOADS.includes(r.type));
            assert.ok(workloads.length > 0);
            for (const workload of workloads) {
                assert.ok(workload.dependencies?.some((urn) => builds.some((b) => b.urn === urn)), `${workload.name} waits for an image build`);
            }
            const update = await renderStack({ stack, config });
            for (const workload of update.resources.filter((r) => WORKLOADS.includes(r.type))) {
                assert.match(String(imageOf(workload)), /@sha256:[0-9a-f]{64}$/, `${workload.name} runs a digest`);
            }
        });
    }

    it("builds the Lambda target for the function's architecture, single-platform, pushed by digest with Docker media types", async () => {
        const stack = await render("lambda", { "model-serving:lambdaArchitecture": "arm64" });
        const build = one(stack, IMAGE);
        assert.equal(input(build, "target"), "lambda");
        assert.deepEqual(input(build, "platforms"), ["linux/arm64"]);
        assert.equal(input(build, "exec"), false, "the embedded BuildKit client, which adds no provenance attestation");
        assert.deepEqual(input(build, "exports.0.registry"), {
            names: ["123456789012.dkr.ecr.us-east-1.amazonaws.com/property-valuation-test"], pushByDigest: true, ociMediaTypes: false,
        });
        assert.match(String(input(build, "dockerfile.location")), /services\/inference\/Dockerfile$/);
        assert.equal(input(build, "context.location"), ".", "the repository root (the project directory) is the context");
        assert.ok(fs.existsSync(path.resolve(__dirname, "../..", String(input(build, "dockerfile.location")))));
        const registry = input(build, "registries.0") as Record<string, unknown>;
        assert.deepEqual([registry.address, registry.username], ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "AWS"], "an ECR token from the provider");
        assert.equal(registry.password, "[secret]");
    });

    it("builds the server target for the nodes' architecture and pushes to Artifact Registry with a Google access token", async () => {
        const eks = one(await render("eks", { "model-serving:nodeInstanceType": "m7g.xlarge" }), IMAGE);
        assert.deepEqual([input(eks, "target"), input(eks, "platforms")], ["server", ["linux/arm64"]]);
        const gke = one(await render("gke"), IMAGE);
        assert.deepEqual([input(gke, "target"), input(gke, "platforms")], ["server", ["linux/amd64"]]);
        assert.deepEqual([input(gke, "registries.0.address"), input(gke, "registries.0.username")], ["us-central1-docker.pkg.dev", "oauth2accesstoken"]);
    });

    it("skips the build for a prebuilt image and runs it exactly as given (no suffix on a digest)", async () => {
        const prebuilt = `us-docker.pkg.dev/ci/images/property-valuation@${DIGEST}`;
        const stack = await render("cloudrun", { "model-serving:image": prebuilt });
        assert.equal(all(stack, IMAGE).length, 0);
        assert.equal(input(one(stack, "gcp:cloudrunv2/service:Service"), "template.containers.0.image"), prebuilt);
    });

    it("hybrid on eks with prebuilt images runs the server image on the pods and lambdaImage on the overflow", async () => {
        const server = `123456789012.dkr.ecr.us-east-1.amazonaws.com/ci/pv@${DIGEST}`;
        const lambda = `123456789012.dkr.ecr.us-east-1.amazonaws.com/ci/pv-lambda@${DIGEST}`;
        const stack = await renderStack({
            stack: "test",
            config: { "model-serving:backend": "hybrid", "model-serving:hybridBaseline": "eks", "aws:region": "us-east-1", "model-serving:image": server, "model-serving:lambdaImage": lambda },
        });
        assert.equal(all(stack, IMAGE).length, 0);
        assert.equal(input(one(stack, "aws:lambda/function:Function"), "imageUri"), lambda);
        assert.equal(input(one(stack, "kubernetes:apps/v1:Deployment"), "spec.template.spec.containers.0.image"), server);
    });

    it("copies the model-sync CLI into the stack's registry and pins it by digest (no third-party pulls)", async () => {
        const stack = await render("gke", { "model-serving:modelSource": "bucket" });
        const mirror = all(stack, IMAGE).find((b) => input(b, "dockerfile.inline") !== undefined)!;
        assert.equal(input(mirror, "dockerfile.inline"), "FROM gcr.io/google.com/cloudsdktool/google-cloud-cli:502.0.0-slim\n");
        const init = input(one(stack, "kubernetes:apps/v1:Deployment"), "spec.template.spec.initContainers.0.image");
        assert.match(String(init), /^us-central1-docker\.pkg\.dev\/acme\/property-valuation-test\/model-sync@sha256:[0-9a-f]{64}$/);
        const eks = await render("eks", { "model-serving:modelSource": "bucket" });
        assert.match(String(input(one(eks, "kubernetes:apps/v1:Deployment"), "spec.template.spec.initContainers.0.image")), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/property-valuation-test@sha256:/);
    });
});
