import { strict as assert } from "node:assert";
import { once } from "node:events";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildTestApp, EXAMPLE_PROPERTY, metricValue } from "./helpers";

describe("admission control on a listening server", () => {
    let app: FastifyInstance;
    let url: string;
    before(async () => {
        app = await buildTestApp({ maxConcurrentRequests: 1 });
        await app.listen({ port: 0, host: "127.0.0.1" });
        url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    after(async () => app.close());

    const predict = () => fetch(`${url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(EXAMPLE_PROPERTY) });

    it("refuses a model call over the limit with 503, Retry-After and a reason, keeps health answering, and admits again once the slot frees", async () => {
        // Hold the only slot: headers sent, body withheld.
        const body = JSON.stringify(EXAMPLE_PROPERTY);
        const held = http.request(`${url}/predict`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
        const heldResponse = once(held, "response");
        const arrived = once(app.server, "request");
        held.write(body.slice(0, 5));
        await arrived;

        const refused = await predict();
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get("retry-after"), "1");
        assert.match(((await refused.json()) as { error: string }).error, /server at capacity \(1 requests in progress\)/);
        assert.equal((await fetch(`${url}/health`)).status, 200);
        assert.ok(metricValue(await (await fetch(`${url}/metrics`)).text(), "http_requests_rejected_total") >= 1);

        held.end(body.slice(5));
        const [response] = (await heldResponse) as [http.IncomingMessage];
        response.resume();
        assert.equal(response.statusCode, 200);
        await once(response, "end");
        assert.equal((await predict()).status, 200);
    });
});
