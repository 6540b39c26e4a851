// Pulumi entry point (Pulumi.yaml `main: index.ts`): everything lives in components/; the stack config decides the backend.
// The stack outputs are the program's result object: url, image, backend, region, modelVersion, resourceNames, and
// overflowUrl (hybrid) / kubeconfig (new clusters) only on stacks that have them.
import { modelServingProgram } from "./components/program";

export = modelServingProgram();
