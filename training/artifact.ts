import * as fs from "node:fs";
import * as path from "node:path";
import { renderModelCard } from "./card";
import { FEATURES } from "./features";
import type { ModelMetadata } from "./metadata";
import type { ValuationModel } from "./model";
import { exportOnnx } from "./onnx-export";

/** Writes model.onnx, metadata.json and README.md (the model card) into `dir`; returns the ONNX size. */
export function writeArtifact(dir: string, model: ValuationModel, metadata: ModelMetadata): { onnxBytes: number } {
    fs.mkdirSync(dir, { recursive: true });
    const onnxModel = exportOnnx(model, FEATURES.length, metadata.description, metadata.version);
    fs.writeFileSync(path.join(dir, "model.onnx"), onnxModel);
    fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify(metadata, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "README.md"), renderModelCard(metadata));
    return { onnxBytes: onnxModel.length };
}
