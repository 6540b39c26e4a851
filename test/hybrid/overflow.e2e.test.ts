import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { ServerProcess } from "../../tools/load/server-process";
import { percentile } from "../../tools/load/stats";
import { writeLinearModelDir } from "../service/fixtures/linear-model";
import { EXAMPLE_PROPERTY } from "../service/helpers";

interface Outcome {
    status: number;
    ms: number;
    servedBy: string | null;
}

/** `total` POST /predict calls from `concurrency` loopback clients at once, each waiting for its answer before the next. */
async function burst(url: string, total: number, concurrency: number): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let next = 0;
    const client = async () => {
        while (next < total) {
            const i = next++;
            const started = performance.now();
            const response = await fetch(`${url}/predict`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ ...EXAMPLE_PROPERTY, square_feet: 1000 + i }),
            });
            await response.arrayBuffer();
            outcomes.push({ status: response.status, ms: performance.now() - started, servedBy: response.headers.get("x-served-by") });
        }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return outcomes;
}

const p99 = (outcomes: Outcome[]): number => percentile(outcomes.map((o) => o.ms), 99);

/** Pins every thread of a running process to one CPU, so each server has a core of its own to serve with. */
function pinToCpu(server: ServerProcess, cpu: number): void {
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(server.pid)], { stdio: "ignore" });
}

/** A labelled counter sample, 0 when the series has not been created yet. */
async function counter(url: string, name: string, labels: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** How long the baseline waits for the overflow; no spilled request may come near it. */
const FORWARD_TIMEOUT_MS = 5000;

describe("hybrid overflow with two real service processes", function () {
    // Two servers spawned under tsx and two bursts on a shared 2-core machine.
    this.timeout(180_000);
    let baseline: ServerProcess | undefined;
    let overflow: ServerProcess | undefined;
    // The same service without an overflow and with room to queue the whole burst: what the baseline would do alone.
    let queueOnly: ServerProcess | undefined;

    before(async () => {
        const modelDir = writeLinearModelDir();
        overflow = await ServerProcess.start({ MODEL_DIR: modelDir, CACHE_MAX_ENTRIES: "0" });
        // A small-capacity baseline: two requests on the model at most; what would be shed spills instead.
        baseline = await ServerProcess.start({
            MODEL_DIR: modelDir, CACHE_MAX_ENTRIES: "0", MAX_QUEUE_LENGTH: "2", OVERFLOW_URL: overflow.url, OVERFLOW_TIMEOUT_MS: String(FORWARD_TIMEOUT_MS),
        });
        queueOnly = await ServerProcess.start({ MODEL_DIR: modelDir, CACHE_MAX_ENTRIES: "0", MAX_QUEUE_LENGTH: "1000" });
        // The baseline and the queue-only control get the same single core; the overflow has the other one,
        // as a serverless copy brings capacity of its own.
        pinToCpu(baseline, 0);
        pinToCpu(queueOnly, 0);
        pinToCpu(overflow, 1);
    });
    after(async () => {
        await baseline?.stop();
        await overflow?.stop();
        await queueOnly?.stop();
    });

    it("under a burst answers every request, spills some to the overflow and keeps p99 far from the forward timeout", async () => {
        const queued = await burst(queueOnly!.url, 300, 16);
        assert.deepEqual([...new Set(queued.map((o) => o.status))], [200]);
        const outcomes = await burst(baseline!.url, 300, 16);
        assert.deepEqual([...new Set(outcomes.map((o) => o.status))], [200], "nothing is shed while the overflow answers");
        const spilled = await counter(baseline!.url, "inference_overflow_requests_total", 'outcome="forwarded"');
        assert.ok(spilled > 0, "some requests went to the overflow");
        assert.equal(outcomes.filter((o) => o.servedBy === "overflow").length, spilled);
        // On two shared cores, with a model this cheap, forwarding costs the baseline about what serving does, so the
        // lower tail an overflow brings in a cloud does not show against the queue-only control (printed for the
        // record). What must hold is that no spilled request waits on a stuck or serialised forward.
        console.log(`      p99 hybrid ${p99(outcomes).toFixed(0)} ms (${spilled} spilled), queue only ${p99(queued).toFixed(0)} ms`);
        assert.ok(p99(outcomes) < FORWARD_TIMEOUT_MS / 2, `p99 ${p99(outcomes).toFixed(0)} ms`);
    });

    it("with the overflow down sheds with 503 as before and counts the failed spills", async () => {
        await overflow!.stop();
        const forwardedBefore = await counter(baseline!.url, "inference_overflow_requests_total", 'outcome="forwarded"');
        const outcomes = await burst(baseline!.url, 200, 32);
        const shed = outcomes.filter((o) => o.status === 503);
        assert.ok(shed.length > 0, "the excess is shed");
        assert.deepEqual([...new Set(outcomes.map((o) => o.status))].sort(), [200, 503]);
        assert.equal(outcomes.filter((o) => o.servedBy === "overflow").length, 0);
        assert.equal(await counter(baseline!.url, "inference_overflow_requests_total", 'outcome="forwarded"'), forwardedBefore);
        assert.ok((await counter(baseline!.url, "inference_overflow_requests_total", 'outcome="failed"')) >= shed.length);
    });
});
