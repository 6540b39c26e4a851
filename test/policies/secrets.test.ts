import { strict as assert } from "node:assert";
import { secretLooking } from "../../policies/secure-defaults/secrets";
import { check, messagesOf, resource } from "./harness";
import { cloudRunProps, container, deploymentProps, lambdaProps } from "./workloads";

describe("plain-env-secrets", () => {
    it("flags names that say credential and values that are one, not references or ordinary settings", () => {
        assert.match(String(secretLooking("DB_PASSWORD", "hunter2", [])), /named like a credential/);
        assert.match(String(secretLooking("CONFIG", "AKIAABCDEFGHIJKLMNOP", [])), /an AWS access key ID/);
        assert.match(String(secretLooking("DATABASE_URL", "postgres://app:s3cret@db:5432/x", [])), /a password in a URL/);
        assert.equal(secretLooking("SECRETS_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x", []), undefined);
        assert.equal(secretLooking("DB_PASSWORD_FILE", "/run/secrets/db", []), undefined);
        assert.equal(secretLooking("MAX_TOKENS", "512", []), undefined);
        assert.equal(secretLooking("LOG_LEVEL", "info", []), undefined);
        assert.equal(secretLooking("API_TOKEN", "x", ["API_TOKEN"]), undefined);
    });

    it("fails a Deployment, a Cloud Run service and a Lambda with plain secrets; passes secretKeyRef and Secret Manager references", async () => {
        const k8s = container({ env: [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "API_KEY", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] });
        const run = cloudRunProps();
        (run.template.containers[0] as Record<string, unknown>).envs = [{ name: "GITHUB", value: "ghp_" + "a".repeat(36) }, { name: "TOKEN", valueSource: { secretKeyRef: { secret: "t", version: "1" } } }];
        const result = await check([
            resource("kubernetes:apps/v1:Deployment", "d", deploymentProps([k8s])),
            resource("gcp:cloudrunv2/service:Service", "svc", run),
            resource("aws:lambda/function:Function", "fn", lambdaProps({ environment: { variables: { LOG_LEVEL: "info", STRIPE_SECRET: "sk_live_x" } } })),
        ]);
        const messages = messagesOf(result, "plain-env-secrets");
        assert.equal(messages.length, 3);
        assert.match(messages[0], /container "inference" env\[0\]: DB_PASSWORD is named like a credential and holds a plain value\. Required: secrets reach the workload through a secret store.*Fix: move the value into a Pulumi secret \(on the ModelService: secretEnv\)/);
        assert.match(messages[1], /template.containers\[0\].envs\[0\]: GITHUB holds what looks like a GitHub token/);
        assert.match(messages[2], /environment.variables: STRIPE_SECRET is named like a credential/);
    });
});
