// The per-phase breakdown of cold starts, from the marks tools/load/startup-marks.cjs records inside the measured
// process (epoch ms, wall and CPU) plus the spawning side's own two clocks. Pure, so it is unit-tested.
import { median, round } from "../tools/load/stats";

export interface Marks {
    /** Epoch ms when the bench called spawn. */
    spawn: number;
    /** Epoch ms when the bench saw the answer. */
    seen: number;
    /** Epoch ms of each mark, from inside the process. */
    wall: Record<string, number>;
    /** CPU ms the process had used (all threads) at each mark. */
    cpu: Record<string, number>;
    /** Whether the bundle ran from its V8 code cache: used, rejected, absent, or none (not a cached bundle). */
    code_cache?: string;
}

export interface Phase {
    phase: string;
    /** Median duration over the runs. */
    wall_ms: number;
    /** Median CPU time the process spent in it, where both ends have a CPU reading. */
    cpu_ms?: number;
    /** Median time since spawn at which the phase ended: the phases overlap, this places them. */
    ends_at_ms: number;
}

/** A moment of one run: its epoch ms and, when the process recorded it, its CPU ms. */
interface Moment {
    wall: number;
    cpu?: number;
}
type Point = (m: Marks) => Moment | undefined;
const at = (name: string): Point => (m) => (m.wall[name] === undefined ? undefined : { wall: m.wall[name], cpu: m.cpu[name] });
const outside = (pick: (m: Marks) => number): Point => (m) => ({ wall: pick(m) });
const latest = (...points: Point[]): Point => (m) =>
    points.map((p) => p(m)).filter((v): v is Moment => v !== undefined).sort((a, b) => b.wall - a.wall)[0];
const first = (...points: Point[]): Point => (m) => points.map((p) => p(m)).find((v) => v !== undefined);

const answered = first(at("first_200_end"), at("invoke_end"));
/** Server: the polled request that got the 200 arrived; Lambda: the handler could start on the event. */
const firstRequestStarts = first(at("first_200_request"), latest(at("invoke_start"), at("app_ready"), at("warmup_run_end")));
const spawned = outside((m) => m.spawn);
const seen = outside((m) => m.seen);

/** [name, from, to, nested] — `nested` is a phase inside this one that is reported on its own and taken out. */
const PHASES: Array<[string, Point, Point, [Point, Point]?]> = [
    ["spawn → process start", spawned, at("process_start")],
    ["node start (to first user code)", at("process_start"), at("user_code")],
    ["entry module load (without onnxruntime)", at("entry_load_start"), at("entry_load_end"), [at("ort_load_start"), at("ort_load_end")]],
    ["onnxruntime-node load", at("ort_load_start"), at("ort_load_end")],
    ["app build → ready (plugins, routes, schemas)", at("fastify_created"), at("app_ready")],
    ["ONNX session create", at("session_create_start"), at("session_create_end")],
    ["warm-up inference", at("warmup_run_start"), at("warmup_run_end")],
    ["first request (start → answer)", firstRequestStarts, answered],
    ["  of which model run", at("first_request_run_start"), at("first_request_run_end")],
    ["answer → seen by the client", answered, seen],
    ["total (spawn → answer seen)", spawned, seen],
];

const span = (a: Moment, b: Moment): { wall: number; cpu?: number } => ({
    wall: b.wall - a.wall,
    ...(a.cpu !== undefined && b.cpu !== undefined ? { cpu: b.cpu - a.cpu } : {}),
});

export function breakdown(runs: readonly Marks[]): Phase[] {
    const phases: Phase[] = [];
    for (const [phase, from, to, nested] of PHASES) {
        const walls: number[] = [];
        const cpus: number[] = [];
        const ends: number[] = [];
        for (const m of runs) {
            const [a, b] = [from(m), to(m)];
            if (a === undefined || b === undefined) continue;
            const outer = span(a, b);
            const [ia, ib] = nested ? [nested[0](m), nested[1](m)] : [undefined, undefined];
            const inner = ia && ib ? span(ia, ib) : { wall: 0, cpu: 0 };
            walls.push(outer.wall - inner.wall);
            ends.push(b.wall - m.spawn);
            if (outer.cpu !== undefined && inner.cpu !== undefined) cpus.push(outer.cpu - inner.cpu);
        }
        if (walls.length === 0) continue;
        phases.push({
            phase,
            wall_ms: round(median(walls), 1),
            ...(cpus.length > 0 ? { cpu_ms: round(median(cpus), 1) } : {}),
            ends_at_ms: round(median(ends), 1),
        });
    }
    return phases;
}
