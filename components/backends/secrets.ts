import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { SERVICE_ENV } from "../../services/inference/src/contract";
import { physicalName, stackSlug } from "../naming";

/**
 * Secret environment variables: names in `model-serving:secretEnv` (ServiceSpec.secretEnv), each value only in the
 * stack's encrypted config under the `secrets` namespace: `pulumi config set --secret secrets:DB_PASSWORD …`. Each
 * backend hands them to the service its own way, never as a plain environment value:
 *
 *   Kubernetes → Secret + secretKeyRef (backends/kubernetes.ts)
 *   Cloud Run  → Secret Manager secret per variable + version + secretAccessor for the runtime account → env secretKeyRef
 *   Lambda     → one Secrets Manager secret (JSON object) + GetSecretValue for the function's role; the function gets
 *                SECRETS_ARN and reads the secret once at init (services/inference, see docs/deploying.md)
 */

/** The config namespace holding the values: `secrets:<NAME>`, each set with `--secret`. */
export const SECRETS_CONFIG_NAMESPACE = "secrets";
/** The Lambda variable naming the Secrets Manager secret whose JSON object the handler loads into its environment at init. */
export const SECRETS_ARN_ENV = SERVICE_ENV.secretsArn.name;

/** The values of `names`, as one secret output (never in the plan or the state in clear). */
export function serviceSecretValues(names: readonly string[]): pulumi.Output<Record<string, string>> {
    const config = new pulumi.Config(SECRETS_CONFIG_NAMESPACE);
    return pulumi.secret(pulumi.all(Object.fromEntries(names.map((name) => [name, config.requireSecret(name)]))));
}

/** Secret Manager secret id of one variable: letters, digits, - and _, ≤ 255. */
export function secretId(service: string, stack: string, variable: string): string {
    return physicalName([service, stackSlug(stack), variable.toLowerCase().replace(/_/g, "-")], 255);
}

/** Arguments of {@link CloudRunSecrets}. */
export interface CloudRunSecretsArgs {
    service: string;
    stack: string;
    project: string;
    region: string;
    names: readonly string[];
    /** Runtime identity of the Cloud Run service; it alone may read the secrets. */
    runtimeMember: pulumi.Input<string>;
}

/** Secret Manager secrets of a Cloud Run service, replicated in its region only (residency), readable by its runtime account. */
export class CloudRunSecrets extends pulumi.ComponentResource {
    /** Container env entries referencing each secret's pinned version. */
    public readonly env: { name: string; valueSource: { secretKeyRef: { secret: pulumi.Output<string>; version: pulumi.Output<string> } } }[];
    /** The access grants; the service waits for them. */
    public readonly grants: pulumi.Resource[];

    constructor(name: string, args: CloudRunSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:cloudrun:Secrets", name, {}, opts);
        const values = serviceSecretValues(args.names);
        this.grants = [];
        this.env = args.names.map((variable) => {
            const key = variable.toLowerCase();
            const secret = new gcp.secretmanager.Secret(`${name}-${key}`, {
                secretId: secretId(args.service, args.stack, variable),
                project: args.project,
                replication: { userManaged: { replicas: [{ location: args.region }] } },
                labels: { service: args.service },
            }, { parent: this });
            const version = new gcp.secretmanager.SecretVersion(`${name}-${key}`, {
                secret: secret.id, secretData: values.apply((all) => all[variable]),
            }, { parent: this });
            this.grants.push(new gcp.secretmanager.SecretIamMember(`${name}-${key}-accessor`, {
                project: args.project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: args.runtimeMember,
            }, { parent: this }));
            return { name: variable, valueSource: { secretKeyRef: { secret: secret.secretId, version: version.version } } };
        });
        this.registerOutputs({});
    }
}

/** Arguments of {@link LambdaSecrets}. */
export interface LambdaSecretsArgs {
    service: string;
    stack: string;
    region: string;
    names: readonly string[];
    /** Production intent: keep a deleted secret recoverable for 7 days; otherwise delete it at once. */
    retain: boolean;
}

/** One Secrets Manager secret holding every variable as a JSON object; the function's role may read it. */
export class LambdaSecrets extends pulumi.ComponentResource {
    /** ARN, given to the function as SECRETS_ARN. */
    public readonly arn: pulumi.Output<string>;
    /** IAM statements (JSON array) for the function's role. */
    public readonly readStatements: pulumi.Output<string>;

    constructor(name: string, args: LambdaSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:lambda:Secrets", name, {}, opts);
        const values = serviceSecretValues(args.names);
        const secret = new aws.secretsmanager.Secret(`${name}-secret`, {
            name: physicalName([args.service, stackSlug(args.stack), "env"], 512),
            recoveryWindowInDays: args.retain ? 7 : 0,
            region: args.region,
            tags: { service: args.service },
        }, { parent: this });
        const version = new aws.secretsmanager.SecretVersion(`${name}-value`, {
            secretId: secret.id,
            secretString: values.apply((all) => JSON.stringify(Object.fromEntries(args.names.map((n) => [n, all[n]])))),
            region: args.region,
        }, { parent: this });
        this.arn = pulumi.all([secret.arn, version.versionId]).apply(([arn]) => arn);
        this.readStatements = secret.arn.apply((arn) => JSON.stringify([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }]));
        this.registerOutputs({ arn: this.arn });
    }
}
