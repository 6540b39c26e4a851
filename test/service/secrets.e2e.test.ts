import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { ServerProcess } from "../../tools/load/server-process";
import { fakeAwsEnvironment, startFakeSecretsManager, type FakeSecretsManager } from "./fixtures/fake-secrets-manager";
import { writeLinearModelDir } from "./fixtures/linear-model";

const LAMBDA_TS = path.resolve(__dirname, "..", "..", "services", "inference", "src", "lambda.ts");
const EVENT = path.join(__dirname, "fixtures", "events", "http-api-v2-predict.json");
const ARN = "arn:aws:secretsmanager:us-east-2:123456789012:secret:valuation-dev-env-AbCdEf";
const MISSING = "arn:aws:secretsmanager:us-east-2:123456789012:secret:deleted-env-AbCdEf";
const PASSWORD = "pa55-word-never-in-a-log";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

// The Lambda entry as the runtime loads it (module scope = init phase), then one invocation. The probe line says
// whether the SDK client module was ever loaded and which DB_PASSWORD the process sees (as a hash, never the value).
const PROBE = `const { handler } = require(${JSON.stringify(LAMBDA_TS)});
const event = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(EVENT)}, "utf8"));
handler(event, { awsRequestId: "e2e", getRemainingTimeInMillis: () => 30000 }).then((response) => {
  const sdkLoaded = Object.keys(require.cache).some((file) => file.includes("client-secrets-manager"));
  const password = process.env.DB_PASSWORD === undefined ? null : require("node:crypto").createHash("sha256").update(process.env.DB_PASSWORD).digest("hex");
  process.stdout.write(JSON.stringify({ probe: true, status: response.statusCode, sdkLoaded, password }) + "\\n");
  process.exit(0);
});`;

interface Run {
    code: number | null;
    lines: Array<Record<string, unknown>>;
    stdout: string;
    stderr: string;
}

function runLambdaEntry(env: Record<string, string>): Promise<Run> {
    const child = spawn(process.execPath, ["--import", "tsx", "-e", PROBE], {
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", MODEL_DIR: writeLinearModelDir(), ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolve) => child.on("close", (code) => {
        const lines = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, lines, stdout, stderr });
    }));
}

describe("SECRETS_ARN at start-up: Lambda and server entry points against a local Secrets Manager", () => {
    let fake: FakeSecretsManager;
    let aws: Record<string, string>;

    before(async () => {
        fake = await startFakeSecretsManager({ [ARN]: JSON.stringify({ DB_PASSWORD: PASSWORD }) });
        aws = fakeAwsEnvironment(fake.url);
    });
    after(() => fake.close());

    it("Lambda: the init phase puts the secret's variables in process.env before the first invocation, never logging a value", async () => {
        const run = await runLambdaEntry({ ...aws, SECRETS_ARN: ARN });
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const probe = run.lines.find((line) => line.probe === true);
        assert.deepEqual(probe, { probe: true, status: 200, sdkLoaded: true, password: sha256(PASSWORD) });
        const loaded = run.lines.find((line) => line.msg === "secret environment loaded");
        assert.deepEqual(loaded?.variables, ["DB_PASSWORD"]);
        assert.equal(loaded?.secretsArn, ARN);
        assert.ok(!(run.stdout + run.stderr).includes(PASSWORD), "the value appears in no log line");
    });

    it("Lambda: without SECRETS_ARN the Secrets Manager client is never loaded", async () => {
        const calls = fake.seen.length;
        const run = await runLambdaEntry(aws);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.deepEqual(run.lines.find((line) => line.probe === true), { probe: true, status: 200, sdkLoaded: false, password: null });
        assert.equal(fake.seen.length, calls, "no call to Secrets Manager");
    });

    it("Lambda: a secret that does not exist fails the init phase with exit 1 and one fatal line naming SECRETS_ARN and the reason", async () => {
        const run = await runLambdaEntry({ ...aws, SECRETS_ARN: MISSING });
        assert.equal(run.code, 1);
        assert.equal(run.lines.length, 1, run.stdout);
        assert.equal(run.lines[0].level, 60);
        assert.equal(run.lines[0].msg, `cannot start: SECRETS_ARN=${MISSING}: cannot load the secret environment: ResourceNotFoundException: Secrets Manager can't find the specified secret.`);
        assert.equal(run.lines[0].err, undefined, "no stack trace");
        assert.equal(run.stderr, "");
    });

    it("server: the same image reads SECRETS_ARN too; a missing secret exits 1 with one fatal line, a present one starts", async () => {
        const failing = ServerProcess.spawn({ ...aws, SECRETS_ARN: MISSING, MODEL_DIR: writeLinearModelDir() });
        assert.equal((await failing.exited).code, 1);
        const fatal = failing.logs.filter((line) => line.level === 60);
        assert.equal(fatal.length, 1, JSON.stringify(failing.logs));
        assert.match(String(fatal[0].msg), /^SECRETS_ARN=\S+: cannot load the secret environment: ResourceNotFoundException/);
        assert.equal(fatal[0].err, undefined);
        assert.ok(!failing.logs.some((line) => line.stderr), JSON.stringify(failing.logs));

        const server = await ServerProcess.start({ ...aws, SECRETS_ARN: ARN, MODEL_DIR: writeLinearModelDir() });
        try {
            const loaded = server.logs.find((line) => line.msg === "secret environment loaded");
            assert.deepEqual(loaded?.variables, ["DB_PASSWORD"]);
            assert.ok(!JSON.stringify(server.logs).includes(PASSWORD));
        } finally {
            server.child.kill("SIGTERM");
            await server.exited;
        }
    });
});
