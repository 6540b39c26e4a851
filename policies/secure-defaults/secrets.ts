import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import { CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE, K8S_WORKLOAD_TYPES, LAMBDA_FUNCTION } from "../lib/types";
import { containersOf, podSpecOf } from "../lib/workloads";

/** Name parts that say a variable holds a credential (matched per "_"-separated word, so MAX_TOKENS is not TOKEN). */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PWD|SECRET|SECRETS|TOKEN|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?|AUTH_TOKEN|CONNECTION_STRING|DSN)(_|$)/;
/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES: [label: string, pattern: RegExp][] = [
    ["an AWS access key ID", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
    ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
    ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
    ["a password in a URL", /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
    ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

/** Names that point at a secret rather than hold it (SECRETS_ARN, DB_PASSWORD_FILE), and secret-store references as values. */
const REFERENCE_NAME = /_(ARN|ARNS|NAME|ID|REF|PATH|FILE|URI)$/;
const REFERENCE_VALUE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|projects\/[^/]+\/secrets\/)/;

/** Why one plain environment variable looks like a secret, or undefined. Empty values and references are not secrets. */
export function secretLooking(name: string, value: unknown, allowedNames: string[]): string | undefined {
    if (allowedNames.includes(name) || typeof value !== "string" || value === "") return undefined;
    const byValue = SECRET_VALUES.find(([, pattern]) => pattern.test(value));
    if (byValue) return `${name} holds what looks like ${byValue[0]}`;
    const upper = name.toUpperCase();
    if (REFERENCE_NAME.test(upper) || REFERENCE_VALUE.test(value)) return undefined;
    return SECRET_NAME.test(upper) ? `${name} is named like a credential and holds a plain value` : undefined;
}

/** Every plain (literal) environment variable of a workload, with where it is declared. */
export function plainEnvOf(type: string, props: Record<string, unknown>): { where: string; name: string; value: unknown }[] {
    const fromList = (where: string, env: unknown) => arrayAt(env).flatMap((entry, i) => {
        const e = objectAt(entry) ?? {};
        // valueFrom / valueSource reference a Secret; only a literal value is plain.
        const value = readKnown(() => e.value);
        return typeof e.name === "string" && value.known && value.value !== undefined ? [{ where: `${where}[${i}]`, name: e.name, value: value.value }] : [];
    });
    if (type === LAMBDA_FUNCTION) {
        const variables = readKnown(() => objectAt(objectAt(props.environment)?.variables));
        if (!variables.known) return [];
        return Object.keys(variables.value ?? {}).flatMap((name) => {
            const value = readKnown(() => (variables.value ?? {})[name]);
            return value.known ? [{ where: "environment.variables", name, value: value.value }] : [];
        });
    }
    if (type === CLOUD_RUN_SERVICE) {
        return arrayAt(objectAt(props.template)?.containers).flatMap((c, i) => fromList(`template.containers[${i}].envs`, objectAt(c)?.envs));
    }
    if (type === CLOUD_RUN_V1_SERVICE) {
        return arrayAt(objectAt(objectAt(props.template)?.spec)?.containers).flatMap((c, i) => fromList(`template.spec.containers[${i}].envs`, objectAt(c)?.envs));
    }
    return containersOf(podSpecOf(type, props)).flatMap((c) => fromList(`${c.kind} "${c.name}" env`, c.spec.env));
}

export const plainEnvSecrets: ResourceValidationPolicy = {
    name: "plain-env-secrets",
    description: "No secret-looking name or value sits in a plain environment variable of a Kubernetes workload, Cloud Run service or Lambda function: secrets come from a secret store reference.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedNames: { type: "array", items: { type: "string" }, default: [], description: "Variable names that look like secrets but are not (e.g. a token's public audience)." },
        },
    },
    validateResource: forTypes("plain-env-secrets", [...K8S_WORKLOAD_TYPES, CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE, LAMBDA_FUNCTION], (args, reportViolation) => {
        const { allowedNames } = args.getConfig<{ allowedNames: string[] }>();
        const found = plainEnvOf(args.type, args.props).flatMap((env) => {
            const why = secretLooking(env.name, env.value, allowedNames);
            return why ? [`${env.where}: ${why}`] : [];
        });
        if (found.length > 0) {
            reportViolation(finding(`${describe(args)}: ${found.join("; ")}`,
                "secrets reach the workload through a secret store, never as plain environment values (they show in the state file, the console and `kubectl describe`)",
                "move the value into a Pulumi secret (on the ModelService: secretEnv) rendered as a Kubernetes Secret / secretKeyRef, a Cloud Run Secret Manager reference or a Lambda Secrets Manager read, and rotate the exposed one"));
        }
    }),
};
