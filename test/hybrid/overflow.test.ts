import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../services/inference/src/app";
import { DEFAULT_CONFIG, type ServiceConfig } from "../../services/inference/src/config";
import { parseOverflowConfig } from "../../services/inference/src/overflow";
import { writeLinearModelDir } from "../service/fixtures/linear-model";
import { EXAMPLE_PROPERTY } from "../service/helpers";

describe("overflow configuration", () => {
    it("is off without OVERFLOW_URL", () => {
        assert.equal(parseOverflowConfig({}, 64), undefined);
    });

    it("spills at the queue bound by default, so only what would be shed goes to the overflow", () => {
        assert.deepEqual(parseOverflowConfig({ OVERFLOW_URL: "https://overflow.example/" }, 64), { url: "https://overflow.example", queueThreshold: 64, timeoutMs: 10000, auth: "none" });
    });

    it("names each bad variable and its rule", () => {
        assert.throws(
            () => parseOverflowConfig({ OVERFLOW_URL: "overflow", OVERFLOW_QUEUE_THRESHOLD: "-1", OVERFLOW_TIMEOUT_MS: "soon" }, 64),
            /OVERFLOW_URL="overflow" must be an http\(s\) URL; OVERFLOW_QUEUE_THRESHOLD="-1" must be an integer from 0 to 100000; OVERFLOW_TIMEOUT_MS="soon" must be an integer from 1 to 600000/,
        );
    });
});

describe("overflow forwarding in the app", () => {
    let stub: http.Server;
    let status = 200;
    before(async () => {
        stub = http.createServer((request, response) => {
            request.resume();
            request.on("end", () => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ from: "stub", hop: request.headers["x-overflow-hop"] })));
        });
        await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise<void>((resolve) => stub.close(() => resolve())));

    async function appSpillingEverything(): Promise<FastifyInstance> {
        const { port } = stub.address() as AddressInfo;
        const config: ServiceConfig = { ...DEFAULT_CONFIG, modelDir: writeLinearModelDir(), logLevel: "silent", maxEventLoopDelayMs: 0 };
        const app = await buildApp({ config, overflow: { url: `http://127.0.0.1:${port}`, queueThreshold: 0, timeoutMs: 5000, auth: "none" } });
        await app.serving.loaded;
        await app.listen({ port: 0, host: "127.0.0.1" });
        return app;
    }
    const predict = (app: FastifyInstance, headers: Record<string, string> = {}) =>
        fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/predict`, {
            method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(EXAMPLE_PROPERTY),
        });

    it("relays the overflow's answer, marks the hop and counts the spill", async () => {
        status = 200;
        const app = await appSpillingEverything();
        try {
            const response = await predict(app);
            assert.equal(response.status, 200);
            assert.equal(response.headers.get("x-served-by"), "overflow");
            assert.deepEqual(await response.json(), { from: "stub", hop: "1" });
            const metrics = (await app.inject({ url: "/metrics" })).body.split("\n");
            const forwarded = metrics.find((l) => l.startsWith("inference_overflow_requests_total{") && l.includes('outcome="forwarded"'));
            assert.equal(forwarded?.split(" ").pop(), "1");
        } finally {
            await app.close();
        }
    });

    it("sheds with 503 when the overflow answers 5xx, and never forwards a request that already hopped", async () => {
        status = 502;
        const app = await appSpillingEverything();
        try {
            const failed = await predict(app);
            assert.equal(failed.status, 503);
            assert.equal(failed.headers.get("retry-after"), "1");
            const hopped = await predict(app, { "x-overflow-hop": "1" });
            assert.equal(hopped.status, 200);
            assert.equal(hopped.headers.get("x-served-by"), null, "served by the model here");
        } finally {
            await app.close();
        }
    });
});
