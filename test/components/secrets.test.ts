import { strict as assert } from "node:assert";
import { SECRETS_ARN_ENV } from "../../components/backends/secrets";
import { all, input, one, problemsOf, render } from "./helpers";

const SECRET = { "model-serving:secretEnv": '["DB_PASSWORD"]', "secrets:DB_PASSWORD": "hunter2" };

describe("secret environment variables, one path per backend (issue 11 part 3)", () => {
    it("Kubernetes: a Secret and a secretKeyRef, never the value in the pod spec", async () => {
        const stack = await render("eks", SECRET);
        const secret = one(stack, "kubernetes:core/v1:Secret");
        assert.equal(input(secret, "stringData"), "[secret]");
        const env = input(one(stack, "kubernetes:apps/v1:Deployment"), "spec.template.spec.containers.0.env") as { name: string; value?: unknown; valueFrom?: unknown }[];
        const variable = env.find((e) => e.name === "DB_PASSWORD")!;
        assert.deepEqual(variable.valueFrom, { secretKeyRef: { name: input(secret, "metadata.name"), key: "DB_PASSWORD" } });
        assert.ok(!JSON.stringify(stack.resources).includes("hunter2"), "the value appears nowhere in the plan");
    });

    it("Cloud Run: a Secret Manager secret in the region, readable by the runtime account, referenced by version", async () => {
        const stack = await render("cloudrun", SECRET);
        const secret = one(stack, "gcp:secretmanager/secret:Secret");
        assert.deepEqual(input(secret, "replication"), { userManaged: { replicas: [{ location: "us-central1" }] } }, "stays where residency says");
        assert.equal(input(one(stack, "gcp:secretmanager/secretVersion:SecretVersion"), "secretData"), "[secret]");
        const accessor = one(stack, "gcp:secretmanager/secretIamMember:SecretIamMember");
        assert.equal(input(accessor, "role"), "roles/secretmanager.secretAccessor");
        assert.match(String(input(accessor, "member")), /^serviceAccount:property-valuation-run-[0-9a-f]{4}@acme\.iam\.gserviceaccount\.com$/);
        const service = one(stack, "gcp:cloudrunv2/service:Service");
        const env = input(service, "template.containers.0.envs") as { name: string; valueSource?: { secretKeyRef: { secret: unknown; version: unknown } } }[];
        assert.deepEqual(env.find((e) => e.name === "DB_PASSWORD")!.valueSource, { secretKeyRef: { secret: input(secret, "secretId"), version: "1" } });
        assert.ok(service.dependencies?.includes(accessor.urn), "the revision starts only once it may read the secret");
        assert.ok(!JSON.stringify(stack.resources).includes("hunter2"));
    });

    it("Lambda: one Secrets Manager secret the role may read, named to the function by SECRETS_ARN", async () => {
        const stack = await render("lambda", SECRET);
        const secret = one(stack, "aws:secretsmanager/secret:Secret");
        assert.equal(input(one(stack, "aws:secretsmanager/secretVersion:SecretVersion"), "secretString"), "[secret]");
        const variables = input(one(stack, "aws:lambda/function:Function"), "environment.variables") as Record<string, unknown>;
        assert.equal(variables[SECRETS_ARN_ENV], `arn:aws:secretsmanager:us-east-1:123456789012:secret:${String(input(secret, "name"))}-AbCdEf`);
        assert.ok(!("DB_PASSWORD" in variables));
        const read = all(stack, "aws:iam/rolePolicy:RolePolicy").find((p) => String(input(p, "policy")).includes("secretsmanager:GetSecretValue"));
        assert.ok(read, "the function's role may read exactly that secret");
    });

    it("refuses a secret variable without its encrypted value, naming the key to set", () => {
        assert.match(problemsOf({ "model-serving:backend": "lambda", "aws:region": "us-east-1", "model-serving:secretEnv": '["API_KEY"]' }).join("\n"), /secrets:API_KEY "" is not set; set the value with `pulumi config set --secret secrets:API_KEY …`/);
    });
});
