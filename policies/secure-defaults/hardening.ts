import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { K8S_WORKLOAD_TYPES } from "../lib/types";
import { containersOf, isPatch, podSpecOf } from "../lib/workloads";

/** Pod fields that share a host namespace with the node (Pod Security Standards "baseline": host namespaces). */
const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;

/** Which host namespaces a pod spec joins, and which containers publish host ports. */
export function hostNamespaceProblems(pod: Record<string, unknown> | undefined): string[] {
    const problems = HOST_NAMESPACES.filter((field) => pod?.[field] === true).map((field) => `spec.${field} is true`);
    for (const container of containersOf(pod)) {
        const hostPorts = arrayAt(container.spec.ports).map((p) => objectAt(p)?.hostPort).filter((port) => typeof port === "number" && port > 0);
        if (hostPorts.length > 0) problems.push(`${container.kind} "${container.name}" publishes hostPort ${hostPorts.join(", ")}`);
    }
    return problems;
}

export const k8sHostNamespaces: ResourceValidationPolicy = {
    name: "k8s-host-namespaces",
    description: "Pods (every workload kind and patches of them) do not share the node's network, PID or IPC namespace and publish no host ports.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowHostNetwork: { type: "boolean", default: false, description: "Allow hostNetwork and host ports (node agents only)." },
        },
    },
    validateResource: forTypes("k8s-host-namespaces", K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const { allowHostNetwork } = args.getConfig<{ allowHostNetwork: boolean }>();
        const problems = hostNamespaceProblems(podSpecOf(args.type, args.props))
            .filter((p) => !(allowHostNetwork && (p === "spec.hostNetwork is true" || p.includes("hostPort"))));
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`, "the pod keeps its own network, PID and IPC namespaces and no hostPort",
                "remove those fields and reach the pod through a Service"));
        }
    }),
};

/** hostPath volumes outside the allowed prefixes (or writable when only read-only ones are allowed). */
export function hostPathProblems(pod: Record<string, unknown> | undefined, allowed: { pathPrefix: string; readOnly: boolean }[]): string[] {
    const volumes = arrayAt(pod?.volumes).map((v) => objectAt(v) ?? {});
    const mounts = containersOf(pod).flatMap((c) => arrayAt(c.spec.volumeMounts).map((m) => objectAt(m) ?? {}));
    return volumes.flatMap((volume) => {
        const path = objectAt(volume.hostPath)?.path;
        if (typeof path !== "string") return [];
        const writable = mounts.some((m) => m.name === volume.name && m.readOnly !== true);
        const rule = allowed.find((a) => path === a.pathPrefix || path.startsWith(`${a.pathPrefix.replace(/\/$/, "")}/`));
        if (!rule) return [`volume "${String(volume.name)}" mounts hostPath ${path}`];
        return rule.readOnly && writable ? [`volume "${String(volume.name)}" mounts hostPath ${path} writable (allowed read-only only)`] : [];
    });
}

export const k8sHostFilesystem: ResourceValidationPolicy = {
    name: "k8s-host-filesystem",
    description: "Pods (every workload kind and patches of them) mount no hostPath volume outside the configured read-only prefixes.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedHostPaths: {
                type: "array",
                items: { type: "object", properties: { pathPrefix: { type: "string", minLength: 1 }, readOnly: { type: "boolean" } }, required: ["pathPrefix", "readOnly"], additionalProperties: false },
                default: [],
                description: "hostPath prefixes a pod may mount, e.g. [{\"pathPrefix\": \"/var/log\", \"readOnly\": true}].",
            },
        },
    },
    validateResource: forTypes("k8s-host-filesystem", K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const { allowedHostPaths } = args.getConfig<{ allowedHostPaths: { pathPrefix: string; readOnly: boolean }[] }>();
        const problems = hostPathProblems(podSpecOf(args.type, args.props), allowedHostPaths);
        if (problems.length > 0) {
            const allowed = allowedHostPaths.length > 0 ? allowedHostPaths.map((a) => `${a.pathPrefix}${a.readOnly ? " (read-only)" : ""}`).join(", ") : "none";
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`, `hostPath volumes only under the allowed prefixes: ${allowed}`,
                "use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead of the node's filesystem"));
        }
    }),
};

/** Capabilities a container adds beyond the allowed list, and required drops it does not make. */
export function capabilityProblems(container: Record<string, unknown>, config: { allowedCapabilities: string[]; requiredDropCapabilities: string[] }, patch: boolean): string[] {
    const capabilities = objectAt(objectAt(container.securityContext)?.capabilities);
    const upper = (list: unknown) => arrayAt(list).map((c) => String(c).toUpperCase().replace(/^CAP_/, ""));
    const added = upper(capabilities?.add).filter((c) => !config.allowedCapabilities.map((a) => a.toUpperCase()).includes(c));
    const dropped = upper(capabilities?.drop);
    const problems = added.length > 0 ? [`adds capabilities ${added.join(", ")}`] : [];
    // A patch that does not touch capabilities keeps the live drop list.
    if (patch && capabilities?.drop === undefined) return problems;
    const missing = config.requiredDropCapabilities.map((c) => c.toUpperCase()).filter((c) => !dropped.includes(c) && !dropped.includes("ALL"));
    if (missing.length > 0) problems.push(`does not drop ${missing.join(", ")}`);
    return problems;
}

export const k8sCapabilities: ResourceValidationPolicy = {
    name: "k8s-capabilities",
    description: "Containers (every workload kind and patches of them) drop the required Linux capabilities (default ALL) and add none beyond the allowed list.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedCapabilities: { type: "array", items: { type: "string" }, default: [], description: "Capabilities a container may add, e.g. NET_BIND_SERVICE." },
            requiredDropCapabilities: { type: "array", items: { type: "string" }, default: ["ALL"], description: "Capabilities every container must drop (ALL covers every one)." },
        },
    },
    validateResource: forTypes("k8s-capabilities", K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const config = args.getConfig<{ allowedCapabilities: string[]; requiredDropCapabilities: string[] }>();
        for (const container of containersOf(podSpecOf(args.type, args.props))) {
            const problems = capabilityProblems(container.spec, config, isPatch(args.type));
            if (problems.length > 0) {
                reportViolation(finding(`${describe(args)} ${container.kind} "${container.name}" ${problems.join(" and ")}`,
                    `securityContext.capabilities.drop includes ${config.requiredDropCapabilities.join(", ") || "nothing"}; add only ${config.allowedCapabilities.join(", ") || "nothing"}`,
                    "drop ALL capabilities and run the process without the ones it asked for (listen on a port above 1024 instead of NET_BIND_SERVICE)"));
            }
        }
    }),
};
