// What the bench runs: each case names a process (the service, the bare server or the raw session loop),
// the route and bodies it is sent, and any environment that sets it apart from the default service.
import {
    batchPredictBodies,
    featureRows,
    singlePredictBodies,
    v2InferBodies,
    type ModelInfo,
} from "./payloads";

export type Server = "service" | "bare";

export interface HttpCase {
    kind: "http";
    name: string;
    description: string;
    server: Server;
    path: string;
    bodies: string[];
    rowsPerRequest: number;
    /** Extra service environment, e.g. batching switched on. */
    env: Record<string, string>;
    /** taskset CPU list for the server, e.g. "0" for a 1-vCPU shape; all cores when absent. */
    cpus?: string;
    /** Concurrent connections, when the case needs other than the bench's setting. */
    connections?: number;
    /** Open loop at this fraction of the named case's measured maximum throughput instead of autocannon. */
    pacedAt?: { fraction: number; of: string };
}

export interface RawCase {
    kind: "raw";
    name: string;
    description: string;
    rowsPerRequest: number;
}

export type BenchCase = HttpCase | RawCase;

/** Enough distinct bodies that a prediction cache, if one were on, would rarely hit. */
const DISTINCT_BODIES = 512;
const DISTINCT_BATCH_BODIES = 64;

export function defineCases(model: ModelInfo, batchSize: number): BenchCase[] {
    const rows = featureRows(model.features, Math.max(DISTINCT_BODIES, DISTINCT_BATCH_BODIES * batchSize));
    const single = singlePredictBodies(model.features, rows.slice(0, DISTINCT_BODIES));
    const v2Path = `/v2/models/${model.name}/infer`;
    return [
        { kind: "raw", name: "raw-session", description: "session.run in-process, 1 row", rowsPerRequest: 1 },
        { kind: "raw", name: "raw-session-batch", description: `session.run in-process, ${batchSize} rows`, rowsPerRequest: batchSize },
        { kind: "http", name: "bare-node-http", description: "node:http + onnxruntime, POST /predict, 1 row", server: "bare", path: "/predict", bodies: single, rowsPerRequest: 1, env: {} },
        { kind: "http", name: "predict-single", description: "service POST /predict, 1 row (defaults: dynamic batching on)", server: "service", path: "/predict", bodies: single, rowsPerRequest: 1, env: {} },
        {
            kind: "http",
            name: "predict-single-unbatched",
            description: "service POST /predict, 1 row, dynamic batching off (BATCH_MAX_SIZE 0)",
            server: "service",
            path: "/predict",
            bodies: single,
            rowsPerRequest: 1,
            env: { BATCH_MAX_SIZE: "0" },
        },
        {
            kind: "http",
            name: "predict-single-half-load",
            description: "service POST /predict, 1 row, open loop at 50% of predict-single's max",
            server: "service",
            path: "/predict",
            bodies: single,
            rowsPerRequest: 1,
            env: {},
            pacedAt: { fraction: 0.5, of: "predict-single" },
        },
        {
            kind: "http",
            name: "predict-batch",
            description: `service POST /predict, {instances} of ${batchSize} rows`,
            server: "service",
            path: "/predict",
            bodies: batchPredictBodies(model.features, rows, batchSize, DISTINCT_BATCH_BODIES),
            rowsPerRequest: batchSize,
            env: {},
        },
        {
            kind: "http",
            name: "v2-infer",
            description: "service Open Inference Protocol v2 infer, 1 row",
            server: "service",
            path: v2Path,
            bodies: v2InferBodies(model.features, rows.slice(0, DISTINCT_BODIES)),
            rowsPerRequest: 1,
            env: {},
        },
    ];
}
