import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../services/inference/src/app";
import { DEFAULT_CONFIG, type ServiceConfig } from "../../services/inference/src/config";
import { parseOverflowConfig, type OverflowConfig } from "../../services/inference/src/overflow";
import { writeLinearModelDir } from "../service/fixtures/linear-model";
import { EXAMPLE_PROPERTY } from "../service/helpers";

/** Static test credentials the default provider chain reads from the environment (no cloud is called). */
const TEST_CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "test-session-token" };

interface Received {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
}

/** A loopback server that records each request and answers with `answer(request)`'s status. */
async function recordingServer(answer: (request: Received) => { status: number; headers?: Record<string, string>; body: string }) {
    const received: Received[] = [];
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) };
            received.push(entry);
            const { status, headers, body } = answer(entry);
            response.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Recomputes the SigV4 signature of a received request from the headers it claims to have signed. */
async function expectedAuthorization(request: Received, host: string, region: string): Promise<string> {
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1].split(";");
    const headers: Record<string, string> = {};
    for (const name of signedNames) headers[name] = String(request.headers[name]);
    const url = new URL(request.url, `http://${host}`);
    const amzDate = String(request.headers["x-amz-date"]);
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const signer = new SignatureV4({ service: "lambda", region, credentials: TEST_CREDENTIALS, sha256: Sha256 });
    const signed = await signer.sign({ method: request.method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body: request.body }, { signingDate });
    return String(signed.headers.authorization);
}

async function spillingApp(overflow: OverflowConfig): Promise<FastifyInstance> {
    const config: ServiceConfig = { ...DEFAULT_CONFIG, modelDir: writeLinearModelDir(), logLevel: "silent", maxEventLoopDelayMs: 0 };
    const app = await buildApp({ config, overflow: { ...overflow, queueThreshold: 0 } });
    await app.serving.loaded;
    await app.listen({ port: 0, host: "127.0.0.1" });
    return app;
}

const predict = (app: FastifyInstance) =>
    fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/predict`, {
        method: "POST", headers: { "content-type": "application/json", authorization: "Bearer caller-token" }, body: JSON.stringify(EXAMPLE_PROPERTY),
    });

/** Sets environment variables for one test and puts the old values back afterwards. */
function withEnv(values: Record<string, string | undefined>): () => void {
    const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    const apply = (next: Record<string, string | undefined>) => {
        for (const [name, value] of Object.entries(next)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
    apply(values);
    return () => apply(saved);
}

describe("overflow authentication configuration", () => {
    it("defaults to none and names the allowed modes for a bad one", () => {
        assert.equal(parseOverflowConfig({ OVERFLOW_URL: "https://o.example" }, 8)?.auth, "none");
        assert.throws(() => parseOverflowConfig({ OVERFLOW_URL: "https://o.example", OVERFLOW_AUTH: "iam" }, 8),
            /OVERFLOW_AUTH="iam" must be one of none, aws-iam, gcp-id-token/);
    });

    it("signs for the Function URL's region, else AWS_REGION, and says when there is neither", () => {
        const lambdaUrl = "https://abc123.lambda-url.eu-west-1.on.aws/";
        assert.equal(parseOverflowConfig({ OVERFLOW_URL: lambdaUrl, OVERFLOW_AUTH: "aws-iam", AWS_REGION: "us-east-1" }, 8)?.region, "eu-west-1");
        assert.equal(parseOverflowConfig({ OVERFLOW_URL: "http://127.0.0.1:9", OVERFLOW_AUTH: "aws-iam", AWS_REGION: "us-east-1" }, 8)?.region, "us-east-1");
        assert.throws(() => parseOverflowConfig({ OVERFLOW_URL: "http://127.0.0.1:9", OVERFLOW_AUTH: "aws-iam" }, 8), /OVERFLOW_AUTH=aws-iam needs the region/);
    });
});

describe("overflow authentication (aws-iam)", () => {
    let restoreEnv: () => void;
    before(() => {
        restoreEnv = withEnv({
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken, AWS_PROFILE: undefined,
        });
    });
    after(() => restoreEnv());

    it("signs each forwarded request with SigV4 for lambda, and the fake overflow verifies the signature", async () => {
        const overflow = await recordingServer(() => ({ status: 200, body: JSON.stringify({ from: "overflow" }) }));
        const app = await spillingApp({ url: overflow.url, queueThreshold: 0, timeoutMs: 5000, auth: "aws-iam", region: "eu-west-1" });
        try {
            for (let i = 0; i < 2; i++) assert.equal((await predict(app)).status, 200);
            assert.equal(overflow.received.length, 2);
            for (const request of overflow.received) {
                const authorization = String(request.headers.authorization);
                assert.match(authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
                const signed = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(";");
                for (const name of ["host", "content-type", "x-amz-date", "x-amz-security-token", "x-overflow-hop"]) assert.ok(signed.includes(name), `${name} is signed`);
                assert.equal(request.headers["x-amz-security-token"], TEST_CREDENTIALS.sessionToken);
                assert.equal(authorization, await expectedAuthorization(request, new URL(overflow.url).host, "eu-west-1"), "signature matches the body and headers received");
                assert.notEqual(request.headers.authorization, "Bearer caller-token", "the caller's credentials are not passed on");
            }
        } finally {
            await app.close();
            await overflow.close();
        }
    });
});

describe("overflow authentication (gcp-id-token)", () => {
    let metadata: Awaited<ReturnType<typeof recordingServer>>;
    let restoreEnv: () => void;
    const issued: string[] = [];
    before(async () => {
        // The GCE metadata server as GKE Workload Identity serves it: ping answers, identity returns a JWT for the audience.
        metadata = await recordingServer((request) => {
            const url = new URL(request.url, "http://metadata");
            if (request.headers["metadata-flavor"] !== "Google") return { status: 403, body: "missing Metadata-Flavor" };
            const headers = { "metadata-flavor": "Google", "content-type": "text/plain" };
            if (url.pathname === "/computeMetadata/v1/instance/service-accounts/default/identity") {
                const payload = { aud: url.searchParams.get("audience"), exp: Math.floor(Date.now() / 1000) + 3600 };
                const token = `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.signature${issued.length}`;
                issued.push(token);
                return { status: 200, headers, body: token };
            }
            if (url.pathname.startsWith("/computeMetadata/v1/")) return { status: 200, headers, body: "{}" };
            return { status: 404, headers, body: "not found" };
        });
        restoreEnv = withEnv({ GCE_METADATA_HOST: new URL(metadata.url).host, GOOGLE_APPLICATION_CREDENTIALS: undefined, CLOUDSDK_CONFIG: "/nonexistent-gcloud-config" });
    });
    after(async () => {
        restoreEnv();
        await metadata.close();
    });

    it("sends an ID token for the overflow's URL from the metadata server, fetched once and reused", async () => {
        const overflow = await recordingServer((request) => {
            const ok = issued.length > 0 && request.headers.authorization === `Bearer ${issued[0]}`;
            return { status: ok ? 200 : 401, body: JSON.stringify({ from: "overflow" }) };
        });
        const app = await spillingApp({ url: overflow.url, queueThreshold: 0, timeoutMs: 5000, auth: "gcp-id-token" });
        try {
            for (let i = 0; i < 3; i++) assert.equal((await predict(app)).status, 200);
            assert.equal(issued.length, 1, "the token is cached until near its expiry");
            const identityRequest = metadata.received.find((r) => r.url.includes("/identity"))!;
            assert.equal(new URL(identityRequest.url, "http://metadata").searchParams.get("audience"), overflow.url);
        } finally {
            await app.close();
            await overflow.close();
        }
    });

    it("sheds with 503 when no token can be had", async () => {
        const overflow = await recordingServer(() => ({ status: 200, body: "{}" }));
        const restore = withEnv({ GCE_METADATA_HOST: "127.0.0.1:9" });
        const app = await spillingApp({ url: overflow.url, queueThreshold: 0, timeoutMs: 5000, auth: "gcp-id-token" });
        try {
            assert.equal((await predict(app)).status, 503);
            assert.equal(overflow.received.length, 0, "nothing unauthenticated reaches the overflow");
        } finally {
            restore();
            await app.close();
            await overflow.close();
        }
    });
});
