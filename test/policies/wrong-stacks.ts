import * as path from "node:path";

/** Each deliberately wrong stack in fixtures/: the policy config it is checked against and the policy it must fail. */
export const WRONG_STACKS: { fixture: string; file: string; policyConfig: string; policy: string }[] = [
    ["region-outside-residency", "prod-gcp", "data-residency"],
    ["latest-image", "staging", "image-pinned"],
    ["oversized-lambda", "dev", "lambda-limits"],
    ["oversized-pods", "prod-aws", "k8s-container-resources"],
    ["public-service", "staging", "cloudrun-public-invoker"],
    ["public-http-api", "dev", "api-route-auth"],
    ["public-eks-endpoint", "prod-aws", "eks-endpoint-access"],
].map(([fixture, policyConfig, policy]) => ({ fixture, file: path.join(__dirname, "fixtures", `Pulumi.${fixture}.yaml`), policyConfig, policy }));
