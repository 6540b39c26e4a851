import { strict as assert } from "node:assert";
import { ecrRepositoryProblems } from "../../policies/supply-chain/ecr";
import { registryAllowed, repositoryOf } from "../../policies/supply-chain/images";
import { check, messagesOf, resource } from "./harness";
import { cloudRunProps, container, deploymentProps, lambdaProps } from "./workloads";

const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/property-valuation-prod-aws@sha256:" + "a".repeat(64);

describe("supply chain: allowed registries", () => {
    it("normalises Docker Hub shorthand and strips tags and digests", () => {
        assert.equal(repositoryOf("python:3"), "docker.io/library/python");
        assert.equal(repositoryOf("acme/app:1.0"), "docker.io/acme/app");
        assert.equal(repositoryOf("registry:5000/team/app:1"), "registry:5000/team/app");
        assert.equal(repositoryOf(ECR), "123456789012.dkr.ecr.us-east-1.amazonaws.com/property-valuation-prod-aws");
    });

    it("matches the default private-registry patterns and refuses a moving upstream tag", () => {
        const defaults = ["*.dkr.ecr.*.amazonaws.com/**", "*-docker.pkg.dev/**"];
        assert.ok(registryAllowed(ECR, defaults));
        assert.ok(registryAllowed("us-central1-docker.pkg.dev/acme-ml-prod/property-valuation-prod-gcp/property-valuation:1", defaults));
        assert.ok(!registryAllowed("docker.io/library/python:3", defaults));
        assert.ok(!registryAllowed("python:3", defaults));
    });

    it("fails docker.io/library/python:3 on a Deployment, Cloud Run and Lambda; passes the stack's own registry", async () => {
        const result = await check([
            resource("kubernetes:apps/v1:Deployment", "d", deploymentProps([container({ image: "docker.io/library/python:3" })])),
            resource("gcp:cloudrunv2/service:Service", "svc", cloudRunProps({ image: "ghcr.io/acme/inference:1" })),
            resource("aws:lambda/function:Function", "fn", lambdaProps({ imageUri: ECR })),
        ], { "allowed-registries": { allowedRegistries: ["*.dkr.ecr.us-east-1.amazonaws.com/property-valuation-*"] } });
        const messages = messagesOf(result, "allowed-registries");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /image "docker.io\/library\/python:3" comes from docker.io\/library\/python\. Required: images from \*.dkr.ecr.us-east-1.amazonaws.com\/property-valuation-\*\. Fix: build the image into the stack's own registry/);
        assert.match(messages[1], /ghcr.io\/acme\/inference/);
    });
});

describe("supply chain: ECR repositories", () => {
    const good = { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS" }] };
    it("passes a scanned, immutable, KMS-encrypted repository", () => {
        assert.deepEqual(ecrRepositoryProblems(good, { requireKms: true }), []);
    });

    it("fails a repository without scan on push, with mutable tags, and AES256 where KMS is required", async () => {
        const bad = resource("aws:ecr/repository:Repository", "images", { encryptionConfigurations: [{ encryptionType: "AES256" }] });
        const [message] = messagesOf(await check([bad], { "ecr-repository-hardening": { requireKms: true } }), "ecr-repository-hardening");
        assert.match(message, /imageScanningConfiguration.scanOnPush is not true; imageTagMutability is "MUTABLE", so a tag can be moved to another image; encryptionConfigurations is AES256, not KMS\. Required: scanOnPush true, imageTagMutability IMMUTABLE, encryptionType KMS/);
        assert.deepEqual(messagesOf(await check([resource("aws:ecr/repository:Repository", "images", good)]), "ecr-repository-hardening"), []);
    });
});
