/**
 * Schema models of the custom resources the program renders (prometheus-operator's PodMonitor and PrometheusRule,
 * Gateway API's HTTPRoute), from the same kubernetes-models family (and @kubernetes-models/validate 4) the core
 * objects are validated with; versions whose engines accept Node 20. Loaded once, before the synchronous validation.
 */
type Model = new (data: unknown) => { validate(): void };

const loaded = new Map<string, Model>();

export async function loadCrdModels(): Promise<void> {
    const monitoring = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1");
    const gateway = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1");
    loaded.set("kubernetes:monitoring.coreos.com/v1:PodMonitor", monitoring.PodMonitor as unknown as Model);
    loaded.set("kubernetes:monitoring.coreos.com/v1:PrometheusRule", monitoring.PrometheusRule as unknown as Model);
    loaded.set("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", gateway.HTTPRoute as unknown as Model);
}

/** The model of a custom resource type, or undefined for the types kubernetes-models itself covers. */
export function crdModel(type: string): Model | undefined {
    if (/^kubernetes:(monitoring\.coreos\.com|gateway\.networking\.k8s\.io)\//.test(type) && !loaded.has(type)) {
        throw new Error(`no schema model loaded for ${type}: call loadCrdModels() first, or add the type there`);
    }
    return loaded.get(type);
}
