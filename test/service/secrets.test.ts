import { strict as assert } from "node:assert";
import { loadSecretEnv, regionOfSecretArn, SecretEnvError, secretEnvEntries } from "../../services/inference/src/secrets";
import { fakeAwsEnvironment, startFakeSecretsManager, type FakeSecretsManager } from "./fixtures/fake-secrets-manager";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:valuation-prod-env-AbCdEf";
const MISSING = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:nobody-made-this-AbCdEf";
const ARRAY = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:array-AbCdEf";
const NUMBER = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:number-AbCdEf";
const PASSWORD = "s3cr3t-Value-that-must-not-leak";

describe("SECRETS_ARN: the secret environment (services/inference/src/secrets.ts)", () => {
    describe("reading a SecretString", () => {
        it("takes a JSON object of strings", () => {
            assert.deepEqual(secretEnvEntries('{"DB_PASSWORD":"x","API_TOKEN":""}'), { DB_PASSWORD: "x", API_TOKEN: "" });
        });

        it("refuses a binary secret, non-JSON, a non-object, a bad name and a non-string value, never quoting a value", () => {
            assert.throws(() => secretEnvEntries(undefined), /no SecretString/);
            assert.throws(() => secretEnvEntries(`${PASSWORD}`), /not JSON/);
            assert.throws(() => secretEnvEntries(`["${PASSWORD}"]`), /not a JSON object/);
            assert.throws(() => secretEnvEntries('{"1BAD":"x"}'), /key "1BAD" is not an environment variable name/);
            assert.throws(() => secretEnvEntries('{"PORT_NUMBER":5432}'), (error: Error) => /value of PORT_NUMBER is number, not a string/.test(error.message) && !error.message.includes("5432"));
        });

        it("reads the region from the ARN, not from AWS_REGION; a bare name has none", () => {
            assert.equal(regionOfSecretArn(ARN), "eu-west-1");
            assert.equal(regionOfSecretArn("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x"), "cn-north-1");
            assert.equal(regionOfSecretArn("valuation-prod-env"), undefined);
        });
    });

    describe("against a local Secrets Manager endpoint (the real SDK client)", () => {
        let fake: FakeSecretsManager;
        const saved: Record<string, string | undefined> = {};
        const cleared = ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"];

        before(async () => {
            fake = await startFakeSecretsManager({
                [ARN]: JSON.stringify({ DB_PASSWORD: PASSWORD, API_TOKEN: "token-1" }),
                [ARRAY]: JSON.stringify([PASSWORD]),
                [NUMBER]: JSON.stringify({ PORT_NUMBER: 5432 }),
            });
            // The SDK reads its endpoint and credentials from process.env, as it does on Lambda.
            for (const [name, value] of Object.entries(fakeAwsEnvironment(fake.url))) {
                saved[name] = process.env[name];
                process.env[name] = value;
            }
            for (const name of cleared) {
                saved[name] = process.env[name];
                delete process.env[name];
            }
        });
        after(async () => {
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
            await fake.close();
        });
        beforeEach(() => fake.seen.splice(0));

        it("sets each variable of the secret, in one signed GetSecretValue call to the ARN's region", async () => {
            const env: NodeJS.ProcessEnv = { SECRETS_ARN: ARN };
            const result = await loadSecretEnv(env);
            assert.deepEqual(result, { arn: ARN, loaded: ["DB_PASSWORD", "API_TOKEN"], kept: [] });
            assert.equal(env.DB_PASSWORD, PASSWORD);
            assert.equal(env.API_TOKEN, "token-1");
            assert.equal(fake.seen.length, 1);
            assert.equal(fake.seen[0].target, "secretsmanager.GetSecretValue");
            assert.equal(fake.seen[0].secretId, ARN);
            assert.match(fake.seen[0].authorization, /^AWS4-HMAC-SHA256 Credential=AKIDFAKESECRETSTEST\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/);
        });

        it("keeps a variable the environment already sets", async () => {
            const env: NodeJS.ProcessEnv = { SECRETS_ARN: ARN, API_TOKEN: "from-env" };
            const result = await loadSecretEnv(env);
            assert.deepEqual(result?.kept, ["API_TOKEN"]);
            assert.deepEqual(result?.loaded, ["DB_PASSWORD"]);
            assert.equal(env.API_TOKEN, "from-env");
        });

        it("fails with one line naming SECRETS_ARN and the service's reason when the secret does not exist", async () => {
            const env: NodeJS.ProcessEnv = { SECRETS_ARN: MISSING };
            await assert.rejects(loadSecretEnv(env), (error: Error) => {
                assert.ok(error instanceof SecretEnvError);
                assert.equal(error.message, `SECRETS_ARN=${MISSING}: cannot load the secret environment: ResourceNotFoundException: Secrets Manager can't find the specified secret.`);
                return true;
            });
            assert.deepEqual(Object.keys(env), ["SECRETS_ARN"]);
        });

        it("fails on a secret that is not a JSON object of strings, without the value in the message", async () => {
            await assert.rejects(loadSecretEnv({ SECRETS_ARN: ARRAY }), (error: Error) => /^SECRETS_ARN=\S+: cannot load the secret environment: the SecretString is not a JSON object/.test(error.message) && !error.message.includes(PASSWORD));
            await assert.rejects(loadSecretEnv({ SECRETS_ARN: NUMBER }), /value of PORT_NUMBER is number, not a string/);
        });

        it("fails with the connection error when the endpoint does not answer", async () => {
            const url = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
            const closed = await startFakeSecretsManager({});
            await closed.close();
            process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = closed.url;
            try {
                await assert.rejects(loadSecretEnv({ SECRETS_ARN: ARN }), (error: Error) => {
                    assert.match(error.message, /^SECRETS_ARN=\S+: cannot load the secret environment: .*ECONNREFUSED/);
                    assert.doesNotMatch(error.message, /\n/);
                    return true;
                });
            } finally {
                process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = url;
            }
        });

        it("does nothing when SECRETS_ARN is unset or blank", async () => {
            for (const env of [{}, { SECRETS_ARN: "  " }] as NodeJS.ProcessEnv[]) {
                const before = { ...env };
                assert.equal(await loadSecretEnv(env), undefined);
                assert.deepEqual(env, before);
            }
            assert.equal(fake.seen.length, 0);
        });
    });
});
