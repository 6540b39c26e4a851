import { arrayAt, objectAt } from "./props";

/** One container of a Kubernetes workload, with where it sits so messages can point at it. */
export interface WorkloadContainer {
    kind: "container" | "initContainer";
    name: string;
    spec: Record<string, unknown>;
}

/** The pod spec a workload template produces: Pods carry it directly, CronJobs two levels down. */
export function podSpecOf(type: string, props: Record<string, unknown>): Record<string, unknown> | undefined {
    const spec = objectAt(props.spec);
    if (type === "kubernetes:core/v1:Pod") return spec;
    if (type === "kubernetes:batch/v1:CronJob") {
        return objectAt(objectAt(objectAt(objectAt(spec?.jobTemplate)?.spec)?.template)?.spec);
    }
    return objectAt(objectAt(spec?.template)?.spec);
}

/** Every container and init container of a pod spec. */
export function containersOf(podSpec: Record<string, unknown> | undefined): WorkloadContainer[] {
    const containers = (field: "containers" | "initContainers", kind: WorkloadContainer["kind"]) =>
        arrayAt(podSpec?.[field]).map((entry, index) => {
            const spec = objectAt(entry) ?? {};
            return { kind, name: typeof spec.name === "string" ? spec.name : `#${index}`, spec };
        });
    return [...containers("initContainers", "initContainer"), ...containers("containers", "container")];
}
