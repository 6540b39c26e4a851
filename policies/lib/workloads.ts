import { arrayAt, objectAt } from "./props";

/** One container of a Kubernetes workload, with where it sits so messages can point at it. */
export interface WorkloadContainer {
    kind: "container" | "initContainer" | "ephemeralContainer";
    name: string;
    spec: Record<string, unknown>;
}

/** "kubernetes:apps/v1:DeploymentPatch" → true: a server-side-apply patch, whose omitted fields keep their live values. */
export function isPatch(type: string): boolean {
    return type.startsWith("kubernetes:") && type.endsWith("Patch");
}

/** The kind of a workload type without its Patch suffix: "kubernetes:batch/v1:CronJobPatch" → "CronJob". */
export function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1).replace(/Patch$/, "");
}

/** The pod spec a workload template produces: Pods carry it directly, CronJobs two levels down. */
export function podSpecOf(type: string, props: Record<string, unknown>): Record<string, unknown> | undefined {
    const spec = objectAt(props.spec);
    const kind = kindOf(type);
    if (kind === "Pod") return spec;
    if (kind === "CronJob") return objectAt(objectAt(objectAt(objectAt(spec?.jobTemplate)?.spec)?.template)?.spec);
    return objectAt(objectAt(spec?.template)?.spec);
}

/** Every container, init container and ephemeral container of a pod spec. */
export function containersOf(podSpec: Record<string, unknown> | undefined): WorkloadContainer[] {
    const containers = (field: "containers" | "initContainers" | "ephemeralContainers", kind: WorkloadContainer["kind"]) =>
        arrayAt(podSpec?.[field]).map((entry, index) => {
            const spec = objectAt(entry) ?? {};
            return { kind, name: typeof spec.name === "string" ? spec.name : `#${index}`, spec };
        });
    return [...containers("initContainers", "initContainer"), ...containers("containers", "container"), ...containers("ephemeralContainers", "ephemeralContainer")];
}
