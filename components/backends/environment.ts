import { onnxIntraOpThreads } from "../sizing";
import type { ServiceSpec } from "../spec";

/** The port every backend routes to; Lambda ignores it (the handler is invoked directly). */
export const SERVICE_PORT = 8080;

/** Where a bucket-sourced model appears inside the container. */
export const MOUNTED_MODEL_ROOT = "/models";

/**
 * MODEL_DIR for the service: where the bucket prefix is mounted or synced, an explicit path in the image, or
 * undefined to leave the variable unset, so the server loads the model its image bundles (the server image and
 * the Lambda image keep it under different roots).
 */
export function modelDir(service: ServiceSpec): string | undefined {
    const artifact = service.model.artifact;
    return artifact.source === "image" ? artifact.path : `${MOUNTED_MODEL_ROOT}/${service.model.name}/${service.model.version}`;
}

/**
 * The container environment every backend sets, per the service contract (PORT, MODEL_DIR, LOG_LEVEL, …), with
 * onnxruntime threads sized to the replica's CPU, then the stack's extra variables (which may override them).
 * Draining variables are added by backends that drain.
 */
export function serviceEnvironment(service: ServiceSpec, extra: Record<string, string> = {}): Record<string, string> {
    const dir = modelDir(service);
    return {
        ...(dir ? { MODEL_DIR: dir } : {}),
        LOG_LEVEL: service.logLevel,
        ORT_INTRA_OP_THREADS: String(onnxIntraOpThreads(service.cpu)),
        ...extra,
        ...service.env,
    };
}
