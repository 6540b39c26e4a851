import { strict as assert } from "node:assert";
import * as http from "node:http";
import { DEFAULT_MODEL_DIR } from "../../services/inference/src/config";
import { loadMetadata, predictBodyStream } from "../../tools/load/bodies";
import { ServerProcess } from "../../tools/load/server-process";

interface Outcome {
    id: string;
    status?: number;
    error?: string;
}

const nextBody = predictBodyStream(loadMetadata(DEFAULT_MODEL_DIR));

/** One POST /predict with a client-chosen request id, which the server logs, so outcomes can be matched to its log. */
function predictOnce(url: string, agent: http.Agent, id: string): Promise<Outcome> {
    const body = nextBody();
    return new Promise((resolve) => {
        const request = http.request(`${url}/predict`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-request-id": id } }, (res) => {
            res.resume();
            res.on("end", () => resolve({ id, status: res.statusCode }));
        });
        request.on("error", (error: NodeJS.ErrnoException) => resolve({ id, error: error.code ?? error.message }));
        request.end(body);
    });
}

// The bundled model (MODEL_DIR unset): real trees, real cost per request.
// Overload at 3× capacity has its own script (npm run overload -w services/inference): timing-sensitive, not for npm test.
describe("shutdown under load (real server process, loopback only)", function () {
    this.timeout(120000);

    it("on SIGTERM during sustained load completes every request it accepted and exits 0 within the grace period", async () => {
        const server = await ServerProcess.start({ MODEL_DIR: "", LOG_LEVEL: "info", SHUTDOWN_GRACE_SECONDS: "15" });
        const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
        const outcomes: Outcome[] = [];
        let running = true;
        let sequence = 0;
        const worker = async () => {
            while (running) {
                const outcome = await predictOnce(server.url, agent, `load-${sequence++}`);
                outcomes.push(outcome);
                if (outcome.error === "ECONNREFUSED") return; // the listener is closed: nothing more will be accepted
            }
        };
        try {
            const workers = Array.from({ length: 8 }, worker);
            // Sustained load first: wait until a few hundred requests have been answered.
            await server.waitForLog(() => outcomes.length >= 300);
            const signalledAt = Date.now();
            server.child.kill("SIGTERM");
            const { code } = await server.exited;
            const exitSeconds = (Date.now() - signalledAt) / 1000;
            running = false;
            await Promise.all(workers);
            agent.destroy();

            const accepted = new Set(server.logs.filter((l) => l.msg === "incoming request").map((l) => String(l.reqId)));
            const completed = new Set(server.logs.filter((l) => l.msg === "request completed").map((l) => String(l.reqId)));
            const dropped = [...accepted].filter((id) => !completed.has(id));
            const failedAfterAcceptance = outcomes.filter((o) => accepted.has(o.id) && (o.error !== undefined || (o.status !== 200 && o.status !== 503)));
            const summary = JSON.stringify({ outcomes: outcomes.length, accepted: accepted.size, dropped, failedAfterAcceptance: failedAfterAcceptance.slice(0, 5), code, exitSeconds });
            assert.equal(code, 0, summary);
            assert.ok(exitSeconds < 15, summary);
            assert.deepEqual(dropped, [], summary);
            assert.deepEqual(failedAfterAcceptance, [], summary);
            assert.ok(outcomes.filter((o) => o.status === 200).length >= 300, summary);
        } finally {
            running = false;
            agent.destroy();
            await server.stop();
        }
    });
});
