import { strict as assert } from "node:assert";
import { breakdown, type Marks } from "../../bench/startup-phases";

/** A server cold start at `base` epoch ms, marks in ms after spawn. */
function serverRun(base: number, shift = 0): Marks {
    const wall = (ms: number): number => base + ms + shift;
    return {
        spawn: base,
        seen: wall(150),
        wall: {
            process_start: wall(5),
            user_code: wall(45),
            entry_load_start: wall(46),
            ort_load_start: wall(60),
            ort_load_end: wall(70),
            entry_load_end: wall(90),
            fastify_created: wall(80),
            app_ready: wall(100),
            session_create_start: wall(85),
            session_create_end: wall(120),
            warmup_run_start: wall(120),
            warmup_run_end: wall(122),
            first_200_request: wall(140),
            first_200_end: wall(149),
        },
        cpu: { process_start: 0, user_code: 30, ort_load_start: 50, ort_load_end: 58, entry_load_start: 31, entry_load_end: 75 },
    };
}

describe("bench cold-start breakdown", () => {
    it("turns the marks into phases, taking onnxruntime's load out of the entry module's", () => {
        const phases = Object.fromEntries(breakdown([serverRun(1000)]).map((p) => [p.phase, p]));
        assert.deepEqual(phases["spawn → process start"], { phase: "spawn → process start", wall_ms: 5, ends_at_ms: 5 });
        assert.deepEqual(phases["node start (to first user code)"], { phase: "node start (to first user code)", wall_ms: 40, cpu_ms: 30, ends_at_ms: 45 });
        assert.equal(phases["entry module load (without onnxruntime)"].wall_ms, 34);
        assert.equal(phases["entry module load (without onnxruntime)"].cpu_ms, 36);
        assert.equal(phases["onnxruntime-node load"].wall_ms, 10);
        assert.equal(phases["first request (start → answer)"].wall_ms, 9);
        assert.equal(phases["answer → seen by the client"].wall_ms, 1);
        assert.equal(phases["total (spawn → answer seen)"].wall_ms, 150);
        assert.equal("  of which model run" in phases, false, "a phase no run marked is left out");
    });

    it("reports the median run of each phase", () => {
        const phases = breakdown([serverRun(0), serverRun(5000, 10), serverRun(9000, 20)]);
        assert.equal(phases.find((p) => p.phase === "spawn → process start")?.wall_ms, 15);
        assert.equal(phases.find((p) => p.phase === "total (spawn → answer seen)")?.wall_ms, 160);
    });

    it("starts a Lambda's first request when the handler is invoked and the app is ready, whichever is later", () => {
        const lambda: Marks = {
            spawn: 0,
            seen: 200,
            wall: { process_start: 5, invoke_start: 100, app_ready: 150, warmup_run_end: 140, invoke_end: 190 },
            cpu: { process_start: 0, invoke_start: 80, app_ready: 110, invoke_end: 130 },
        };
        const first = breakdown([lambda]).find((p) => p.phase === "first request (start → answer)");
        assert.deepEqual(first, { phase: "first request (start → answer)", wall_ms: 40, cpu_ms: 20, ends_at_ms: 190 });
    });
});
