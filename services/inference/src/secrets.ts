// Secret environment on Lambda: the components keep a stack's secret config (`secrets:<NAME>`) in one AWS Secrets
// Manager secret whose SecretString is a JSON object {"NAME": "value", …}, and name it to the function by SECRETS_ARN
// (components/backends/secrets.ts; the role may secretsmanager:GetSecretValue on it). Kubernetes and Cloud Run deliver
// secrets as ordinary environment variables, so they never set SECRETS_ARN. Both entry points (lambda.ts, server.ts)
// read it once at start, before anything parses the environment, so one image behaves the same everywhere.
// The SDK client is required only when SECRETS_ARN is set (and is external to the bundle): without it, a cold start
// loads and parses none of it.
import type { SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";
import { readText, SERVICE_ENV } from "./contract";

/** Why the secret environment could not be loaded: one line naming SECRETS_ARN, its value and the reason; no stack needed. */
export class SecretEnvError extends Error {
    constructor(arn: string, reason: string) {
        super(`${SERVICE_ENV.secretsArn.name}=${arn}: ${reason}`);
        this.name = "SecretEnvError";
    }
}

/** What was loaded: names only, never values. */
export interface SecretEnvResult {
    arn: string;
    /** Variables set from the secret. */
    loaded: string[];
    /** Variables the secret holds that the environment already set; the environment's value is kept. */
    kept: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** arn:<partition>:secretsmanager:<region>:<account>:secret:<name> */
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/;

/** The region in a secret's ARN (the secret is read there, whatever AWS_REGION says); undefined for a bare secret name. */
export function regionOfSecretArn(arn: string): string | undefined {
    return SECRET_ARN.exec(arn)?.[1];
}

/** The variables a SecretString holds: a JSON object of NAME → string. Throws an Error whose message is the reason (never quoting a value). */
export function secretEnvEntries(secretString: string | undefined): Record<string, string> {
    if (secretString === undefined) throw new Error("the secret has no SecretString (binary secrets are not supported); store a JSON object {\"NAME\": \"value\"}");
    let parsed: unknown;
    try {
        parsed = JSON.parse(secretString);
    } catch {
        throw new Error("the SecretString is not JSON; store a JSON object {\"NAME\": \"value\"}");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("the SecretString is not a JSON object; store {\"NAME\": \"value\"}");
    const entries = Object.entries(parsed as Record<string, unknown>);
    for (const [name, value] of entries) {
        if (!ENV_NAME.test(name)) throw new Error(`key ${JSON.stringify(name)} is not an environment variable name (letters, digits and _, not starting with a digit)`);
        if (typeof value !== "string") throw new Error(`the value of ${name} is ${value === null ? "null" : typeof value}, not a string`);
    }
    return Object.fromEntries(entries) as Record<string, string>;
}

/** One line for an SDK or network error: the error's name (ResourceNotFoundException, AccessDeniedException …) and message. */
function describe(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    const code = (error as { code?: unknown }).code;
    // Node's connection errors can be an AggregateError with an empty message; the code says it then.
    const message = error.message || (typeof code === "string" ? code : "") || "unknown error";
    const text = error.name && error.name !== "Error" && !message.startsWith(error.name) ? `${error.name}: ${message}` : message;
    return text.replace(/\s+/g, " ").trim();
}

/**
 * Timeouts well inside Lambda's 10 s init phase; the SDK retries a throttled or failed call (3 attempts by default).
 * Endpoint and credentials come from the SDK's usual sources: the function's role on Lambda, AWS_ENDPOINT_URL_SECRETS_MANAGER
 * or AWS_ENDPOINT_URL for a local endpoint.
 */
function clientConfig(arn: string): SecretsManagerClientConfig {
    const region = regionOfSecretArn(arn);
    return { ...(region ? { region } : {}), requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } };
}

async function readSecretString(arn: string): Promise<string | undefined> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
    const client = new sdk.SecretsManagerClient(clientConfig(arn));
    try {
        return (await client.send(new sdk.GetSecretValueCommand({ SecretId: arn }))).SecretString;
    } finally {
        client.destroy();
    }
}

/**
 * When SECRETS_ARN is set: reads that secret once and sets each of its variables in `env` (a variable already set
 * keeps its value). Resolves undefined, touching nothing, when it is unset. Rejects with {@link SecretEnvError} when
 * the secret cannot be read or is not a JSON object of strings: the caller fails start-up rather than serve without it.
 */
export async function loadSecretEnv(env: NodeJS.ProcessEnv): Promise<SecretEnvResult | undefined> {
    const arn = readText(env, SERVICE_ENV.secretsArn);
    if (arn === undefined) return undefined;
    let entries: Record<string, string>;
    try {
        entries = secretEnvEntries(await readSecretString(arn));
    } catch (error) {
        throw new SecretEnvError(arn, `cannot load the secret environment: ${describe(error)}`);
    }
    const result: SecretEnvResult = { arn, loaded: [], kept: [] };
    for (const [name, value] of Object.entries(entries)) {
        if (env[name] !== undefined) {
            result.kept.push(name);
        } else {
            env[name] = value;
            result.loaded.push(name);
        }
    }
    return result;
}
