import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ScalingSchedule } from "./spec";

/** curl, pinned by tag; the Job only needs an HTTP client and the pod's service-account token. */
export const PATCH_IMAGE = "curlimages/curl:8.11.1";

/** Arguments of {@link ScheduledHpaMinimum}. */
export interface ScheduledHpaMinimumArgs {
    /** Namespace of the workload and its HPA. */
    namespace: pulumi.Input<string>;
    /** Name of the HorizontalPodAutoscaler to patch (the service name). */
    hpaName: string;
    schedule: ScalingSchedule;
    /** Labels shared with the workload. */
    labels: Record<string, string>;
    /** Provider of the workload's cluster. */
    provider: k8s.Provider;
}

/** The merge patch each CronJob sends: only spec.minReplicas changes; the HPA keeps its metrics and maximum. */
export function minReplicasPatch(minReplicas: number): string {
    return JSON.stringify({ spec: { minReplicas: Math.max(1, minReplicas) } });
}

/**
 * The shell command of a CronJob: PATCH the HPA through the API server with the pod's own token.
 * `--fail` makes an HTTP error fail the Job, so the Job retries and the failure shows in `kubectl get jobs`.
 */
export function patchCommand(namespace: string, hpaName: string, minReplicas: number): string {
    const sa = "/var/run/secrets/kubernetes.io/serviceaccount";
    return [
        "curl --fail --silent --show-error --max-time 20",
        `--cacert ${sa}/ca.crt`,
        `-H "Authorization: Bearer $(cat ${sa}/token)"`,
        '-H "Content-Type: application/merge-patch+json"',
        `-X PATCH --data '${minReplicasPatch(minReplicas)}'`,
        `https://kubernetes.default.svc/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${hpaName}`,
    ].join(" ");
}

/**
 * Scheduled scaling on Kubernetes: one CronJob per schedule entry that patches the HPA's minReplicas.
 *
 * Chosen over a KEDA cron trigger because KEDA would replace this HPA with one it owns (a ScaledObject
 * cannot share the workload with an existing HPA), and needs a cluster-wide operator and CRDs; CronJobs need
 * nothing the cluster lacks and keep the HPA's CPU and queue-length metrics. The RBAC is the narrowest
 * that works: a Role allowing only `patch` on that one HPA by name, bound to a service account that nothing
 * else uses.
 *
 *   ServiceAccount <hpa>-scheduler ─ RoleBinding ─ Role (autoscaling/horizontalpodautoscalers, resourceNames [<hpa>], verbs [patch])
 *   CronJob <hpa>-min-<entry> (schedule, timeZone) ─→ PATCH spec.minReplicas
 */
export class ScheduledHpaMinimum extends pulumi.ComponentResource {
    public readonly cronJobNames: pulumi.Output<string>[];

    constructor(name: string, args: ScheduledHpaMinimumArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:schedule:ScheduledHpaMinimum", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const account = `${args.hpaName}-scheduler`;
        const metadata = { namespace: args.namespace, labels: { ...args.labels, "app.kubernetes.io/component": "scaling-schedule" } };

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-account`, { metadata: { ...metadata, name: account } }, child);
        const role = new k8s.rbac.v1.Role(`${name}-role`, {
            metadata: { ...metadata, name: account },
            rules: [{ apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], resourceNames: [args.hpaName], verbs: ["patch"] }],
        }, child);
        const binding = new k8s.rbac.v1.RoleBinding(`${name}-binding`, {
            metadata: { ...metadata, name: account },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: args.namespace }],
        }, child);

        this.cronJobNames = args.schedule.entries.map((entry) => {
            const command = pulumi.output(args.namespace).apply((ns) => patchCommand(ns, args.hpaName, entry.minCapacity));
            const job = new k8s.batch.v1.CronJob(`${name}-${entry.name}`, {
                metadata: { ...metadata, name: `${args.hpaName}-min-${entry.name}` },
                spec: {
                    schedule: entry.cron,
                    timeZone: args.schedule.timeZone,
                    concurrencyPolicy: "Forbid",
                    // A missed run (controller down) still applies within 10 minutes; later, the next entry takes over.
                    startingDeadlineSeconds: 600,
                    successfulJobsHistoryLimit: 1,
                    failedJobsHistoryLimit: 3,
                    jobTemplate: {
                        spec: {
                            backoffLimit: 3,
                            activeDeadlineSeconds: 120,
                            template: {
                                metadata: { labels: metadata.labels },
                                spec: {
                                    serviceAccountName: serviceAccount.metadata.name,
                                    restartPolicy: "OnFailure",
                                    securityContext: { runAsNonRoot: true, runAsUser: 100, seccompProfile: { type: "RuntimeDefault" } },
                                    containers: [{
                                        name: "patch-min-replicas",
                                        image: PATCH_IMAGE,
                                        command: ["/bin/sh", "-c", command],
                                        // Read by the policy pack's schedule bounds check.
                                        env: [{ name: "MIN_REPLICAS", value: String(entry.minCapacity) }],
                                        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
                                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                    }],
                                },
                            },
                        },
                    },
                },
            }, { ...child, dependsOn: [binding] });
            return job.metadata.name;
        });
        this.registerOutputs({ cronJobNames: this.cronJobNames });
    }
}
