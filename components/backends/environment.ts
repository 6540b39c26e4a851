import { DEFAULT_PORT, SERVICE_ENV } from "../../services/inference/src/contract";
import { onnxIntraOpThreads } from "../sizing";
import type { ServiceSpec } from "../spec";

/** The port every backend routes to (the service contract's); Lambda ignores it (the handler is invoked directly). */
export const SERVICE_PORT = DEFAULT_PORT;

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
 * The container environment every backend sets, named by the service contract (services/inference/src/contract.ts):
 * MODEL_DIR (or MODEL_VERSION for the image's bundled model), LOG_LEVEL, onnxruntime threads sized to the replica's CPU, then `extra` from the backend, then the
 * stack's own variables (which may override them).
 */
export function serviceEnvironment(service: ServiceSpec, extra: Record<string, string> = {}): Record<string, string> {
    const dir = modelDir(service);
    return {
        // Without a directory, the image's bundled model of this version (a canary serves another one).
        ...(dir ? { [SERVICE_ENV.modelDir.name]: dir } : { [SERVICE_ENV.bundledModelVersion.name]: service.model.version }),
        [SERVICE_ENV.logLevel.name]: service.logLevel,
        [SERVICE_ENV.ortIntraOpThreads.name]: String(onnxIntraOpThreads(service.cpu)),
        ...extra,
        ...service.env,
    };
}

/** The draining variables of a backend that sends SIGTERM `graceSeconds` before it kills the process. */
export function drainEnvironment(graceSeconds: number, port?: number): Record<string, string> {
    return {
        ...(port === undefined ? {} : { [SERVICE_ENV.port.name]: String(port) }),
        [SERVICE_ENV.shutdownGraceSeconds.name]: String(graceSeconds),
    };
}
