// Worker-thread experiment (issue 6): the bare server's session.run moved off the event loop into a worker,
// so HTTP parsing on the main thread and inference can overlap on two cores. The bench keeps this only to
// measure it against the inline bare server; see README "Performance" for the verdict.
import * as path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";

export interface WorkerRequest {
    id: number;
    features: Float32Array;
    rows: number;
}

export interface WorkerReply {
    id: number;
    outputs?: { estimate: Float32Array; lower: Float32Array; upper: Float32Array };
    error?: string;
}

async function serve(): Promise<void> {
    const { modelDir, width, sessionOptions } = workerData as { modelDir: string; width: number; sessionOptions: ort.InferenceSession.SessionOptions };
    const session = await ort.InferenceSession.create(path.join(modelDir, "model.onnx"), sessionOptions);
    parentPort?.postMessage({ id: -1 });
    parentPort?.on("message", (request: WorkerRequest) => {
        session.run({ features: new ort.Tensor("float32", request.features, [request.rows, width]) }).then(
            (out) => {
                // Copies: onnxruntime's output buffers are external memory, which postMessage cannot transfer.
                const outputs = {
                    estimate: (out.estimate.data as Float32Array).slice(),
                    lower: (out.lower.data as Float32Array).slice(),
                    upper: (out.upper.data as Float32Array).slice(),
                };
                const reply: WorkerReply = { id: request.id, outputs };
                parentPort?.postMessage(reply, [outputs.estimate.buffer, outputs.lower.buffer, outputs.upper.buffer]);
            },
            (error: Error) => parentPort?.postMessage({ id: request.id, error: error.message } satisfies WorkerReply),
        );
    });
}

void serve();
