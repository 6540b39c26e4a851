// Long-lived HTTP server: Kubernetes, Cloud Run and `npm start`.
import closeWithGrace from "close-with-grace";
import pino from "pino";
import { buildApp } from "./app";
import { loadOverflowModule } from "./data-plane/data-plane";
import { parseConfig, type ServiceConfig } from "./config";
import { bootLoggerChoice } from "./logging";
import type { OverflowConfig } from "./overflow";
import { loadSecretEnv, SecretEnvError, type SecretEnvResult } from "./secrets";

const boot = bootLoggerChoice(process.env);
const bootLogger = boot.stream ? pino({ name: "inference" }, boot.stream) : pino({ name: "inference" });

async function main(): Promise<void> {
    let config: ServiceConfig;
    let overflow: OverflowConfig | undefined;
    let secrets: SecretEnvResult | undefined;
    try {
        // SECRETS_ARN (set by the Lambda backend; the same image honours it anywhere): its variables join the environment first.
        secrets = await loadSecretEnv(process.env);
        config = parseConfig(process.env);
        // OVERFLOW_URL switches spilling on; without it, skip loading overflow.ts and the cloud auth SDKs it pulls in.
        if (process.env.OVERFLOW_URL?.trim()) overflow = loadOverflowModule().parseOverflowConfig(process.env, config.maxQueueLength);
    } catch (error) {
        // A config or secret problem is the whole message; a stack would only add the SDK's internals.
        bootLogger.fatal(error instanceof SecretEnvError ? {} : { err: error }, (error as Error).message);
        process.exit(1);
    }
    if (secrets) bootLogger.info({ secretsArn: secrets.arn, variables: secrets.loaded, keptFromEnvironment: secrets.kept }, "secret environment loaded");

    const app = await buildApp({ config, overflow }).catch((error: unknown) => {
        bootLogger.fatal({ err: error, modelDir: config.modelDir }, `cannot start: ${(error as Error).message}`);
        process.exit(1);
    });

    // SIGTERM/SIGINT: readiness 503 at once, stop accepting, let in-flight requests finish, exit 0.
    // A second signal or the grace deadline exits 1 at once (close-with-grace).
    closeWithGrace({ delay: config.shutdownGraceSeconds * 1000, logger: app.log }, async ({ signal, err }) => {
        if (err) app.log.error({ err }, "uncaught error; shutting down");
        app.serving.startDraining();
        app.log.info({ signal, graceSeconds: config.shutdownGraceSeconds }, "draining: readiness is 503, finishing in-flight requests");
        await app.close();
        app.log.info("all requests finished; exiting");
    });

    await app.listen({ port: config.port, host: config.host });
    try {
        await app.serving.loaded;
    } catch (error) {
        // Never keep serving 503s or 500s for a model that will not load: fail the rollout visibly.
        app.log.fatal({ err: error, modelDir: config.modelDir }, `model failed to load: ${(error as Error).message}`);
        process.exit(1);
    }
    const { name, version } = app.serving.metadata;
    app.log.info({ model: name, version, modelDir: config.modelDir }, "model loaded and warmed; ready");
}

void main();
