import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CANARY_PERCENT_ANNOTATION } from "../../policies/platform/rollout";
import type { KubernetesSettings, ServiceSpec } from "../spec";
import { canaryServiceSpec, replicaSplit } from "./canary";
import { canaryDeploymentSpec, httpRouteSpec, trackAutoscalerSpec, trackName, trackServiceName, type Track } from "./kubernetes";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;
type AutoscalerSpec = k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec;
type ServicePortSpec = k8s.types.input.core.v1.ServiceSpec;

/** The stable side's HPA: the service's bounds, or its share of them while a canary runs. */
export function stableAutoscalerSpec(spec: AutoscalerSpec, service: ServiceSpec): AutoscalerSpec {
    if (!service.canary) return spec;
    return trackAutoscalerSpec(spec, service.name, "stable", replicaSplit(service.scaling, service.canary.percent).stable);
}

/** Arguments of {@link KubernetesRollout}. */
export interface KubernetesRolloutArgs {
    service: ServiceSpec;
    settings: KubernetesSettings;
    provider: k8s.Provider;
    namespace: pulumi.Input<string>;
    /** The Deployment spec the workload renders for a service spec (the canary's gets its own model version). */
    deploymentSpecFor: (served: ServiceSpec) => DeploymentSpec;
    /** Labels of the workload's objects for a service spec. */
    labelsFor: (served: ServiceSpec) => Record<string, string>;
    /** The service's HPA spec (bounds are replaced per side). */
    autoscaler: AutoscalerSpec;
    /** The one Service's spec, whose ports the per-side Services copy. */
    serviceSpec: ServicePortSpec;
    /** What the canary Deployment waits for (service account, secret). */
    dependsOn: pulumi.Resource[];
}

/**
 * What a canary and a Gateway add to the Kubernetes workload: the canary Deployment and its HPA (behind the one
 * Service, which selects every pod of the service), and with a Gateway the HTTPRoute, weighted per side through a
 * Service for each side. Nothing here exists without a canary or a Gateway, so removing the keys removes it all.
 */
export class KubernetesRollout extends pulumi.ComponentResource {
    constructor(name: string, args: KubernetesRolloutArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:rollout:Kubernetes", name, {}, opts);
        const { service, settings } = args;
        const child = { parent: this, provider: args.provider };
        const canary = service.canary;
        if (canary) {
            const served = canaryServiceSpec(service, canary);
            const metadata = { name: trackName(service.name, "canary"), namespace: args.namespace, labels: args.labelsFor(served) };
            const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
                // The share asked for: pods only approximate it (the policy pack reads it here).
                metadata: { ...metadata, annotations: { [CANARY_PERCENT_ANNOTATION]: String(canary.percent) } },
                spec: canaryDeploymentSpec(args.deploymentSpecFor(served), service.name),
            }, { ...child, dependsOn: args.dependsOn });
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-autoscaler`, {
                metadata,
                spec: trackAutoscalerSpec(args.autoscaler, service.name, "canary", replicaSplit(service.scaling, canary.percent).canary),
            }, { ...child, dependsOn: [deployment] });
        }
        const gateway = settings.gateway;
        if (gateway) {
            const port = Number(args.serviceSpec.ports && (args.serviceSpec.ports as Array<{ port: number }>)[0].port);
            if (canary) {
                for (const track of ["stable", "canary"] as Track[]) {
                    new k8s.core.v1.Service(`${name}-${track}-service`, {
                        metadata: { name: trackServiceName(service.name, track), namespace: args.namespace, labels: args.labelsFor(service) },
                        spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": trackName(service.name, track) }, ports: args.serviceSpec.ports },
                    }, child);
                }
            }
            new k8s.apiextensions.CustomResource(`${name}-route`, {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: service.name, namespace: args.namespace, labels: args.labelsFor(service) },
                spec: httpRouteSpec(gateway, service.name, port, canary?.percent),
            }, child);
        }
        this.registerOutputs({});
    }
}
