// Pulumi entry point (Pulumi.yaml `main: index.ts`): everything lives in components/; the stack config decides the backend.
import { modelServingProgram } from "./components/program";

const outputs = modelServingProgram();

export const url = outputs.url;
export const overflowUrl = outputs.overflowUrl;
export const image = outputs.image;
export const backend = outputs.backend;
export const region = outputs.region;
export const modelVersion = outputs.modelVersion;
export const resourceNames = outputs.resourceNames;
