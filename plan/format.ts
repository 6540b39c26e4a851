import { isUnknown, type RenderedResource, type RenderedStack } from "./render";

/** Input paths a reviewer checks first, per resource type; other types show their top-level scalar inputs. */
const KEY_INPUTS: Record<string, string[]> = {
    "aws:lambda/function:Function": ["imageUri", "architectures", "memorySize", "timeout", "reservedConcurrentExecutions", "region"],
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": ["qualifier", "provisionedConcurrentExecutions"],
    "aws:lambda/functionUrl:FunctionUrl": ["qualifier", "authorizationType"],
    "aws:eks/cluster:Cluster": ["version", "region", "vpcConfig.endpointPublicAccess", "accessConfig.authenticationMode"],
    "aws:eks/nodeGroup:NodeGroup": ["instanceTypes", "amiType", "scalingConfig"],
    "gcp:cloudrunv2/service:Service": [
        "location", "ingress", "template.containers.0.image", "template.containers.0.resources.limits",
        "template.scaling", "template.maxInstanceRequestConcurrency", "template.containers.0.startupProbe.httpGet.path",
        "template.containers.0.livenessProbe.httpGet.path",
    ],
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": ["role", "member"],
    "gcp:container/cluster:Cluster": ["location", "enableAutopilot", "releaseChannel.channel"],
    "gcp:container/nodePool:NodePool": ["nodeConfig.machineType", "autoscaling"],
    "kubernetes:apps/v1:Deployment": [
        "metadata.namespace", "spec.template.spec.containers.0.image", "spec.template.spec.containers.0.resources",
        "spec.template.spec.terminationGracePeriodSeconds", "spec.strategy.rollingUpdate",
    ],
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": ["spec.minReplicas", "spec.maxReplicas", "spec.metrics"],
    "kubernetes:core/v1:Service": ["metadata.namespace", "spec.type", "spec.ports"],
    "kubernetes:policy/v1:PodDisruptionBudget": ["spec.minAvailable", "spec.maxUnavailable"],
    "kubernetes:helm.sh/v3:Release": ["chart", "version", "namespace"],
    "docker-build:index:Image": ["target", "platforms", "exports.0.registry.names", "dockerfile.location", "dockerfile.inline"],
};

/** A value at a dotted path ("a.0.b"), or undefined. */
export function valueAt(inputs: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

/** The key inputs of one resource as [path, value] pairs, unknown values spelled out. */
export function keyInputs(resource: RenderedResource): [string, string][] {
    const paths = KEY_INPUTS[resource.type]
        ?? Object.keys(resource.inputs).filter((key) => ["string", "number", "boolean"].includes(typeof resource.inputs[key])).slice(0, 5);
    return paths
        .map((path): [string, unknown] => [path, valueAt(resource.inputs, path)])
        .filter(([, value]) => value !== undefined)
        .map(([path, value]) => [path, display(value)]);
}

function display(value: unknown): string {
    if (isUnknown(value)) return "(known after apply)";
    const text = typeof value === "string" ? value : JSON.stringify(value, (_key, inner) => (isUnknown(inner) ? "(known after apply)" : inner));
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The plan as a reviewer reads it: the resource tree with each resource's key inputs, then the outputs. */
export function formatPlan(rendered: RenderedStack): string {
    const children = new Map<string | undefined, RenderedResource[]>();
    for (const resource of rendered.resources) {
        const list = children.get(resource.parent) ?? [];
        list.push(resource);
        children.set(resource.parent, list);
    }
    const lines = [`Plan for stack ${rendered.stack} (project ${rendered.project}): ${rendered.resources.length} resources`, ""];
    const walk = (parent: string | undefined, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            const indent = "  ".repeat(depth);
            lines.push(`${indent}+ ${resource.type}  ${resource.name}`);
            for (const [path, value] of keyInputs(resource)) lines.push(`${indent}    ${path}: ${value}`);
            walk(resource.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    if (rendered.warnings.length > 0) lines.push("", "Warnings:", ...rendered.warnings.map((warning) => `  ${warning}`));
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(rendered.outputs)) lines.push(`  ${key}: ${display(value)}`);
    return lines.join("\n");
}
