// The floor for the framework: node:http + onnxruntime-node answering POST /predict with no framework, no
// validation library, no logging, no metrics. The service's /predict throughput is compared with this one.
// Env: PORT, MODEL_DIR, PREDICT_MAX_BATCH, ORT_WORKERS (0: session.run on the event loop; N: in N worker
// threads, the worker-thread experiment), ORT_SESSION_OPTIONS (JSON onnxruntime SessionOptions). Prints "listening <port>" once it accepts connections.
import * as http from "node:http";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import type { WorkerReply, WorkerRequest } from "./ort-worker";
import { readModelInfo } from "./payloads";

type Outputs = { estimate: Float32Array; lower: Float32Array; upper: Float32Array };
type RunModel = (features: Float32Array, rows: number) => Promise<Outputs>;

const sessionOptions = JSON.parse(process.env.ORT_SESSION_OPTIONS ?? "{}") as ort.InferenceSession.SessionOptions;

async function inlineRunner(modelDir: string, width: number): Promise<RunModel> {
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"), sessionOptions);
    return async (features, rows) => {
        const out = await session.run({ features: new ort.Tensor("float32", features, [rows, width]) });
        return { estimate: out.estimate.data as Float32Array, lower: out.lower.data as Float32Array, upper: out.upper.data as Float32Array };
    };
}

/** Round-robin over `count` workers, each with its own session. */
async function workerRunner(modelDir: string, width: number, count: number): Promise<RunModel> {
    const pending = new Map<number, { resolve: (o: Outputs) => void; reject: (e: Error) => void }>();
    const workers = await Promise.all(
        Array.from({ length: count }, () => {
            const worker = new Worker(path.join(__dirname, "ort-worker.ts"), { workerData: { modelDir, width, sessionOptions } });
            worker.on("message", (reply: WorkerReply) => {
                const waiter = pending.get(reply.id);
                pending.delete(reply.id);
                if (reply.outputs) waiter?.resolve(reply.outputs);
                else waiter?.reject(new Error(reply.error));
            });
            return new Promise<Worker>((resolve, reject) => {
                worker.once("message", () => resolve(worker));
                worker.once("error", reject);
            });
        }),
    );
    let nextId = 0;
    return (features, rows) =>
        new Promise((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            const request: WorkerRequest = { id, features, rows };
            workers[id % workers.length].postMessage(request, [features.buffer as ArrayBuffer]);
        });
}

type Instance = Record<string, unknown>;

/** Turns a /predict body into rows in the model's feature order, or an error message for a 400. */
export function instancesToFeatures(body: unknown, featureNames: readonly string[], maxBatch: number): Float32Array | string {
    const instances: unknown[] =
        typeof body === "object" && body !== null && Array.isArray((body as { instances?: unknown }).instances)
            ? (body as { instances: unknown[] }).instances
            : [body];
    if (instances.length === 0 || instances.length > maxBatch) return `instances must hold 1..${maxBatch} rows`;
    const data = new Float32Array(instances.length * featureNames.length);
    for (let r = 0; r < instances.length; r++) {
        const instance = instances[r] as Instance | null;
        for (let c = 0; c < featureNames.length; c++) {
            const value = instance?.[featureNames[c]];
            if (typeof value !== "number" || !Number.isFinite(value)) return `${featureNames[c]} must be a finite number`;
            data[r * featureNames.length + c] = value;
        }
    }
    return data;
}

async function main(): Promise<void> {
    const modelDir = process.env.MODEL_DIR ?? "";
    const info = readModelInfo(modelDir);
    const featureNames = info.features.map((f) => f.name);
    const maxBatch = Number(process.env.PREDICT_MAX_BATCH ?? 1000);
    const workers = Number(process.env.ORT_WORKERS ?? 0);
    const runModel = workers > 0 ? await workerRunner(modelDir, featureNames.length, workers) : await inlineRunner(modelDir, featureNames.length);

    const server = http.createServer((req, res) => {
        if (req.method !== "POST" || req.url !== "/predict") {
            res.writeHead(404).end();
            return;
        }
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            let body: unknown;
            try {
                body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch {
                res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid JSON"}');
                return;
            }
            const features = instancesToFeatures(body, featureNames, maxBatch);
            if (typeof features === "string") {
                res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: features }));
                return;
            }
            const rows = features.length / featureNames.length;
            runModel(features, rows).then(
                ({ estimate, lower, upper }) => {
                    // The service's response shape, so both servers serialise the same amount of JSON.
                    const predictions = Array.from({ length: rows }, (_, i) => ({
                        estimated_value: estimate[i],
                        confidence_interval: [lower[i], upper[i]],
                        model_version: info.version,
                    }));
                    const payload = Array.isArray((body as { instances?: unknown }).instances)
                        ? { predictions }
                        : predictions[0];
                    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(payload));
                },
                (error: Error) => {
                    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: error.message }));
                },
            );
        });
    });
    server.keepAliveTimeout = 65_000;
    server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
        const address = server.address();
        console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
    });
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
}
