import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, physicalName, serviceAccountId, stackSlug } from "../naming";
import type { Platform, ServiceSpec } from "../spec";
import { PROBE_PATHS } from "../../services/inference/src/contract";
import { observeCloudRun } from "../observability/resources";
import { canaryTagUrl, cloudRunRollout } from "../rollout/cloudrun";
import { drainEnvironment, MOUNTED_MODEL_ROOT, SERVICE_PORT, serviceEnvironment } from "./environment";
import { CloudRunSecrets } from "./secrets";

/** Arguments of {@link CloudRunService}. */
export interface CloudRunServiceArgs {
    /** The cloud-independent service. */
    service: ServiceSpec;
    /** Cloud Run settings: region, project, ingress, startup CPU boost. */
    platform: Extract<Platform, { backend: "cloudrun" }>;
    /** Server image (services/inference/Dockerfile) in Artifact Registry. */
    image: pulumi.Input<string>;
    /** Model bucket, mounted read-only at /models when the model source is the bucket. */
    modelBucket: pulumi.Input<string>;
    /** Stack: the service name and runtime account carry it (stacks may share a project). */
    stack: string;
    /** "overflow" for a hybrid's copy, so its names differ from a cloudrun stack's. */
    serviceName?: string;
}

/** Cloud Run ingress values by config spelling. */
const INGRESS = {
    all: "INGRESS_TRAFFIC_ALL",
    internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
} as const;

/** Cloud Run gives a container 10 s between SIGTERM and SIGKILL; keep a second for the process to exit. */
const CLOUD_RUN_SHUTDOWN_GRACE_SECONDS = 9;

/**
 * The service on Cloud Run (v2 API):
 *
 *   caller ─(run.invoker IAM unless public)→ ingress ─→ service (min..max instances × concurrency)
 *                                                          runs as a dedicated service account; /ready gates startup
 */
export class CloudRunService extends pulumi.ComponentResource {
    /** HTTPS URL of the service. */
    public readonly url: pulumi.Output<string>;
    /** The Cloud Run service. */
    public readonly service: gcp.cloudrunv2.Service;
    /** The identity the service runs as. */
    public readonly serviceAccount: gcp.serviceaccount.Account;
    /** With a canary: its revision's tag URL (https://canary---<service host>); undefined otherwise. */
    public readonly canaryUrl: pulumi.Output<string | undefined>;

    constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:cloudrun:Service", name, {}, opts);
        const { service, platform } = args;
        const fromBucket = service.model.artifact.source === "bucket";

        this.serviceAccount = new gcp.serviceaccount.Account(`${name}-identity`, {
            accountId: serviceAccountId(service.name, "run", args.stack),
            displayName: `${service.name} Cloud Run runtime`,
            project: platform.project,
        }, { parent: this });
        const member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;
        const bucketRead = fromBucket
            ? [new gcp.storage.BucketIAMMember(`${name}-model-read`, { bucket: args.modelBucket, role: "roles/storage.objectViewer", member }, { parent: this })]
            : [];

        const secrets = service.secretEnv.length > 0
            ? new CloudRunSecrets(`${name}-secrets`, {
                service: service.name, stack: args.stack, project: platform.project, region: platform.region, names: service.secretEnv, runtimeMember: member,
            }, { parent: this })
            : undefined;

        const probe = (path: string) => ({ httpGet: { path, port: SERVICE_PORT }, timeoutSeconds: 2 });
        const serviceName = physicalName([service.name, stackSlug(args.stack), ...(args.serviceName ? [args.serviceName] : [])], NAME_LIMITS.cloudRunService);
        // One revision per model version served; a canary's traffic is split between two (components/rollout/).
        const rollout = cloudRunRollout(serviceName, service, (served) => ({
            serviceAccount: this.serviceAccount.email,
            executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
            timeout: `${service.requestTimeoutSeconds}s`,
            maxInstanceRequestConcurrency: service.scaling.concurrency,
            scaling: { minInstanceCount: service.scaling.min, maxInstanceCount: service.scaling.max },
            containers: [{
                image: args.image,
                ports: { name: "http1", containerPort: SERVICE_PORT },
                resources: {
                    limits: { cpu: service.cpu, memory: service.memory },
                    startupCpuBoost: platform.startupCpuBoost,
                    // Model inference happens inside requests only; idle instances need no CPU.
                    cpuIdle: true,
                },
                envs: [
                    ...Object.entries(serviceEnvironment(served, drainEnvironment(CLOUD_RUN_SHUTDOWN_GRACE_SECONDS)))
                        .map(([envName, value]) => ({ name: envName, value })),
                    ...(secrets?.env ?? []),
                ],
                // Model load can take a while: allow up to 2 minutes before Cloud Run gives up on the instance.
                startupProbe: { ...probe(PROBE_PATHS.readiness), periodSeconds: 2, failureThreshold: 60 },
                livenessProbe: { ...probe(PROBE_PATHS.liveness), periodSeconds: 10, failureThreshold: 3 },
                volumeMounts: fromBucket ? [{ name: "models", mountPath: MOUNTED_MODEL_ROOT }] : [],
            }],
            volumes: fromBucket ? [{ name: "models", gcs: { bucket: args.modelBucket, readOnly: true } }] : [],
        }));
        this.service = new gcp.cloudrunv2.Service(`${name}-service`, {
            name: serviceName,
            location: platform.region,
            project: platform.project,
            ingress: INGRESS[platform.ingress],
            // A backend switch must be able to delete the service; protection would turn `pulumi up` into an error.
            deletionProtection: false,
            labels: { service: service.name, "model-version": labelValue(service.model.version) },
            template: rollout.template,
            traffics: rollout.traffic,
        }, { parent: this, dependsOn: [...bucketRead, ...(secrets?.grants ?? [])] });

        const invokers = service.exposure === "public" ? ["allUsers"] : platform.invokers;
        for (const invoker of invokers) {
            new gcp.cloudrunv2.ServiceIamMember(`${name}-invoker-${resourceSuffix(invoker)}`, {
                name: this.service.name,
                location: platform.region,
                project: platform.project,
                role: "roles/run.invoker",
                member: invoker,
            }, { parent: this });
        }

        this.url = this.service.uri;
        this.canaryUrl = canaryTagUrl(this.service.trafficStatuses);
        // Alert policies and dashboard per revision (a hybrid's overflow is watched through its pods).
        if (!args.serviceName) observeCloudRun(name, service, { serviceName: this.service.name, project: platform.project }, { parent: this });
        this.registerOutputs({ url: this.url, serviceName: this.service.name, canaryUrl: this.canaryUrl });
    }
}

/** GCP label values allow lowercase letters, digits, '-' and '_' only. */
function labelValue(value: string): string {
    return value.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
}

/** A stable resource-name suffix for an IAM member such as "group:ml@example.com". */
function resourceSuffix(member: string): string {
    return member.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
