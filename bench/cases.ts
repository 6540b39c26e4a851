// What the bench runs: each case names a process (the service, the bare server or the raw session loop), the
// route and bodies it is sent, where the server and the load generator run, and any environment that sets it
// apart from the default service.
import * as os from "node:os";
import { batchPredictBodies, featureRows, singlePredictBodies, v2BinaryInferBodies, v2InferBodies, type ModelMetadata } from "../tools/load/bodies";

export type Server = "service" | "bare";

export interface HttpCase {
    kind: "http";
    name: string;
    description: string;
    server: Server;
    path: string;
    bodies: string[];
    rowsPerRequest: number;
    /** Extra service environment, e.g. batching switched off. */
    env: Record<string, string>;
    /** taskset CPU list for the server; all cores when absent. */
    serverCpus?: string;
    /** taskset CPU list for the load generator (then a child process); this process, unpinned, when absent. */
    generatorCpus?: string;
    /** Concurrent connections, when the case needs other than the bench's setting. */
    connections?: number;
    /** Request headers other than JSON's, and base64 bodies for binary payloads. */
    headers?: Record<string, string>;
    bodyEncoding?: "base64";
    /** Open loop at this fraction of the named case's measured maximum throughput instead of a closed loop. */
    pacedAt?: { fraction: number; of: string };
}

export interface RawCase {
    kind: "raw";
    name: string;
    description: string;
    rowsPerRequest: number;
    env?: Record<string, string>;
    cpus?: string;
}

export type BenchCase = HttpCase | RawCase;

/**
 * The pinned layout: the measured process on one core, the load generator on the other, so neither takes the
 * other's CPU. Latency at a set rate and the batch-vs-raw ratio are measured this way; one intra-op thread, as a
 * 1-vCPU deployment is configured (ORT_INTRA_OP_THREADS from the replica's whole vCPUs).
 */
export const PINNED = { server: "1", generator: "0", env: { ORT_INTRA_OP_THREADS: "1" } } as const;

export function pinnedLayoutAvailable(): boolean {
    return os.cpus().length >= 2;
}

/** Enough distinct bodies that a prediction cache, if one were on, would rarely hit. */
const DISTINCT_BODIES = 512;
const DISTINCT_BATCH_BODIES = 64;

function binaryBatch(rows: number[][], batchSize: number): Pick<HttpCase, "bodies" | "headers" | "bodyEncoding"> {
    const { headers, bodies } = v2BinaryInferBodies(rows, batchSize);
    return { bodies: bodies.slice(0, DISTINCT_BATCH_BODIES), headers, bodyEncoding: "base64" };
}

export function defineCases(model: Pick<ModelMetadata, "name" | "features">, batchSize: number): BenchCase[] {
    const rows = featureRows(model.features, Math.max(DISTINCT_BODIES, DISTINCT_BATCH_BODIES * batchSize));
    const single = singlePredictBodies(model.features, rows.slice(0, DISTINCT_BODIES));
    const batchBodies = batchPredictBodies(model.features, rows, batchSize, DISTINCT_BATCH_BODIES);
    const v2Path = `/v2/models/${model.name}/infer`;
    const pinned = pinnedLayoutAvailable() ? { serverCpus: PINNED.server, generatorCpus: PINNED.generator } : {};
    const onOneCore = `server on core ${PINNED.server}, generator on core ${PINNED.generator}`;
    return [
        { kind: "raw", name: "raw-session", description: "session.run in-process, 1 row", rowsPerRequest: 1 },
        {
            kind: "raw",
            name: "raw-session-batch",
            description: `session.run in-process, ${batchSize} rows, on core ${PINNED.server}`,
            rowsPerRequest: batchSize,
            env: PINNED.env,
            ...(pinnedLayoutAvailable() ? { cpus: PINNED.server } : {}),
        },
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
            name: "predict-single-1core",
            description: `service POST /predict, 1 row, closed loop, ${onOneCore}: the single-core maximum`,
            server: "service",
            path: "/predict",
            bodies: single,
            rowsPerRequest: 1,
            env: PINNED.env,
            ...pinned,
        },
        {
            kind: "http",
            name: "predict-single-half-load",
            description: `service POST /predict, 1 row, open loop at 50% of predict-single-1core, ${onOneCore}`,
            server: "service",
            path: "/predict",
            bodies: single,
            rowsPerRequest: 1,
            env: PINNED.env,
            ...pinned,
            pacedAt: { fraction: 0.5, of: "predict-single-1core" },
        },
        {
            kind: "http",
            name: "predict-batch",
            description: `service POST /predict, {instances} of ${batchSize} rows, ${onOneCore}`,
            server: "service",
            path: "/predict",
            bodies: batchBodies,
            rowsPerRequest: batchSize,
            env: PINNED.env,
            ...pinned,
        },
        {
            // The floor for the batch path: what node:http, JSON.parse, the same response JSON and session.run
            // alone reach on these bodies (no framework, schema validation or relaxation).
            kind: "http",
            name: "bare-node-http-batch",
            description: `node:http + onnxruntime, POST /predict, {instances} of ${batchSize} rows, ${onOneCore}`,
            server: "bare",
            path: "/predict",
            bodies: batchBodies,
            rowsPerRequest: batchSize,
            env: PINNED.env,
            ...pinned,
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
        {
            kind: "http",
            name: "v2-infer-batch",
            description: `service Open Inference Protocol v2 JSON infer, ${batchSize} rows, ${onOneCore}`,
            server: "service",
            path: v2Path,
            bodies: v2InferBodies(model.features, rows, batchSize).slice(0, DISTINCT_BATCH_BODIES),
            rowsPerRequest: batchSize,
            env: PINNED.env,
            ...pinned,
        },
        {
            kind: "http",
            name: "v2-binary-infer-batch",
            description: `service Open Inference Protocol v2 infer, binary tensor extension in and out, ${batchSize} rows, ${onOneCore}`,
            server: "service",
            path: v2Path,
            ...binaryBatch(rows, batchSize),
            rowsPerRequest: batchSize,
            env: PINNED.env,
            ...pinned,
        },
    ];
}
