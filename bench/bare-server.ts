// The floor for the framework: node:http + onnxruntime-node answering POST /predict with no framework, no
// validation library, no logging, no metrics. The service's /predict throughput is compared with this one.
// It builds its session exactly as the service does (same ORT_* variables and defaults), so the two differ only
// in what surrounds session.run. Env: PORT, MODEL_DIR, PREDICT_MAX_BATCH, ORT_*. Prints "listening <port>".
import * as http from "node:http";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { parseConfig } from "../services/inference/src/config";
import { sessionOptions } from "../services/inference/src/model/loader";
import { loadMetadata } from "../tools/load/bodies";

type Instance = Record<string, unknown>;

type Outputs = { estimate: Float32Array; lower: Float32Array; upper: Float32Array };
type RunModel = (features: Float32Array, rows: number) => Promise<Outputs>;

async function inlineRunner(modelDir: string, width: number): Promise<RunModel> {
    const options = sessionOptions(parseConfig(process.env).session);
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"), options);
    return async (features, rows) => {
        const out = await session.run({ features: new ort.Tensor("float32", features, [rows, width]) });
        return { estimate: out.estimate.data as Float32Array, lower: out.lower.data as Float32Array, upper: out.upper.data as Float32Array };
    };
}

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
    const info = loadMetadata(modelDir);
    const featureNames = info.features.map((f) => f.name);
    const maxBatch = Number(process.env.PREDICT_MAX_BATCH ?? 1000);
    const runModel = await inlineRunner(modelDir, featureNames.length);

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
                    // The service's response shape, so both servers serialise the same amount of JSON: every
                    // feature is required here, so every row used all of them.
                    const predictions = Array.from({ length: rows }, (_, i) => ({
                        estimated_value: estimate[i],
                        confidence_interval: [lower[i], upper[i]],
                        model_version: info.version,
                        inputs_used: featureNames,
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
