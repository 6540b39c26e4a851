import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ScalingSchedule } from "./spec";

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
    /**
     * Image the Jobs run: the service's own image (by digest, from the stack's registry), whose Node runtime sends
     * the PATCH, so the schedule pulls nothing from a third-party registry and meets the image policies.
     */
    image: pulumi.Input<string>;
}

/** The merge patch each CronJob sends: only spec.minReplicas changes; the HPA keeps its metrics and maximum. */
export function minReplicasPatch(minReplicas: number): string {
    return JSON.stringify({ spec: { minReplicas: Math.max(1, minReplicas) } });
}

/** Where the pod's service-account token and the cluster CA are mounted. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The API path of an HPA. */
export function hpaPath(namespace: string, hpaName: string): string {
    return `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${hpaName}`;
}

/**
 * The Node.js program a CronJob runs: PATCH the HPA through the API server with the pod's own token (the cluster CA
 * comes from NODE_EXTRA_CA_CERTS). A non-2xx answer exits 1, so the Job retries and the failure shows in `kubectl get jobs`.
 */
export function patchScript(namespace: string, hpaName: string, minReplicas: number): string {
    return [
        'const fs = require("node:fs");',
        `const token = fs.readFileSync("${SERVICE_ACCOUNT_DIR}/token", "utf8");`,
        `fetch("https://kubernetes.default.svc${hpaPath(namespace, hpaName)}", {`,
        '  method: "PATCH", signal: AbortSignal.timeout(20000),',
        '  headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/merge-patch+json" },',
        `  body: ${JSON.stringify(minReplicasPatch(minReplicas))},`,
        "}).then(async (r) => { if (!r.ok) { console.error(r.status, await r.text()); process.exit(1); } })",
        "  .catch((e) => { console.error(e); process.exit(1); });",
    ].join("\n");
}

/**
 * Scheduled scaling on Kubernetes: one CronJob per schedule entry that patches the HPA's minReplicas, run by the
 * service's own image (Node's fetch), so nothing is pulled from outside the stack's registry.
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
            const script = pulumi.output(args.namespace).apply((ns) => patchScript(ns, args.hpaName, entry.minCapacity));
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
                                    // The node image's unprivileged user, as the service runs.
                                    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                                    containers: [{
                                        name: "patch-min-replicas",
                                        image: args.image,
                                        command: ["node", "-e", script],
                                        env: [
                                            // Read by the policy pack's schedule bounds check.
                                            { name: "MIN_REPLICAS", value: String(entry.minCapacity) },
                                            { name: "NODE_EXTRA_CA_CERTS", value: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
                                        ],
                                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
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
