import { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { describe, finding, forTypes } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { EKS_NODE_GROUP, GKE_CLUSTER, GKE_NODE_POOL } from "../lib/types";
import { NodePlatform, NodeShape, nodeTypes, parseNodeShape } from "../platform/instance-types";

/** One node pool as rendered: which platform, which machine types, how many nodes at most, whether it carries GPUs. */
export interface NodePool {
    platform: NodePlatform;
    /** The machine types the pool may start (EKS lets a node group list several). */
    types: string[];
    typesPath: string;
    /** Most nodes the pool scales to, across zones; undefined when the resource does not say. */
    maxNodes?: number;
    maxNodesPath: string;
    gpus: boolean;
}

/** EKS's and GKE's defaults when the type is left out. */
const DEFAULT_TYPE: Record<NodePlatform, string> = { eks: "t3.medium", gke: "e2-medium" };

/** A GKE node pool's shape from its `nodeConfig` and counts (a NodePool resource, or one declared inside a Cluster). */
function gkePool(props: Record<string, unknown>, where: string): NodePool {
    const config = objectAt(props.nodeConfig) ?? {};
    const autoscaling = objectAt(props.autoscaling) ?? {};
    const zones = arrayAt(props.nodeLocations).length;
    // Per-zone counts multiply by the zones; a regional pool without nodeLocations runs in the region's three zones.
    const perZone = (count: unknown) => (typeof count === "number" ? count * (zones || 3) : undefined);
    const counts: [path: string, nodes: number | undefined][] = [
        ["autoscaling.totalMaxNodeCount", typeof autoscaling.totalMaxNodeCount === "number" ? autoscaling.totalMaxNodeCount : undefined],
        ["autoscaling.maxNodeCount × zones", perZone(autoscaling.maxNodeCount)],
        ["nodeCount × zones", perZone(props.nodeCount)],
        ["initialNodeCount × zones", perZone(props.initialNodeCount)],
    ];
    const [path, maxNodes] = counts.find(([, nodes]) => nodes !== undefined) ?? ["autoscaling.totalMaxNodeCount", undefined];
    return {
        platform: "gke",
        types: [typeof config.machineType === "string" ? config.machineType : DEFAULT_TYPE.gke],
        typesPath: `${where}nodeConfig.machineType`,
        ...(maxNodes !== undefined ? { maxNodes } : {}),
        maxNodesPath: `${where}${path}`,
        gpus: arrayAt(config.guestAccelerators).length > 0 || /^(a2|a3|g2)-/.test(String(config.machineType ?? "")),
    };
}

/**
 * The node pools a resource declares: an EKS NodeGroup, a GKE NodePool, or a GKE Cluster's default pool (unless
 * removed, or Autopilot) and the pools declared inline in it. Other types declare none.
 */
export function nodePoolsOf(type: string, props: Record<string, unknown>): NodePool[] {
    if (type === EKS_NODE_GROUP) {
        const listed = arrayAt(props.instanceTypes).filter((t): t is string => typeof t === "string");
        const maxSize = objectAt(props.scalingConfig)?.maxSize;
        return [{
            platform: "eks",
            types: listed.length > 0 ? listed : [DEFAULT_TYPE.eks],
            typesPath: "instanceTypes",
            ...(typeof maxSize === "number" ? { maxNodes: maxSize } : {}),
            maxNodesPath: "scalingConfig.maxSize",
            gpus: typeof props.amiType === "string" && /NVIDIA|GPU|NEURON/i.test(props.amiType),
        }];
    }
    if (type === GKE_NODE_POOL) return [gkePool(props, "")];
    if (type === GKE_CLUSTER && props.enableAutopilot !== true) {
        const defaultPool = props.removeDefaultNodePool === true ? [] : [gkePool({ ...props, autoscaling: undefined, nodeCount: undefined }, "(default pool) ")];
        return [...defaultPool, ...arrayAt(props.nodePools).map((pool, i) => gkePool(objectAt(pool) ?? {}, `nodePools[${i}].`))];
    }
    return [];
}

/** Machine types the table does not know, as the stack's policy config describes them: "<vCPUs>/<memory>[/<maxPods>]". */
export type NodeShapes = Record<string, string>;

export const nodeShapesSchema: PolicyConfigJSONSchema = {
    type: "object",
    additionalProperties: { type: "string", pattern: "^[0-9]+/[0-9.]+(Mi|Gi|Ti)(/[0-9]+)?$" },
    default: {},
    description: "Machine types missing from policies/platform/instance-types.ts, described as \"<vCPUs>/<memory>[/<maxPods>]\", e.g. {\"m8i.large\": \"2/8Gi/29\"}.",
};

/** The shape of a machine type: the pack's table first, then the policy config's own descriptions. */
export function shapeOf(platform: NodePlatform, type: string, described: NodeShapes): NodeShape | undefined {
    const known = nodeTypes(platform)[type];
    if (known) return known;
    const shape = described[type] === undefined ? undefined : parseNodeShape(described[type]);
    return typeof shape === "object" ? shape : undefined;
}

export interface NodePoolBounds {
    nodeShapes: NodeShapes;
    maxNodeVcpus: number;
    maxNodes: number;
    allowGpus: boolean;
}

/** What makes a node pool cost more than the stack allows: machine types too large or unknown, too many nodes, GPUs. */
export function nodePoolProblems(pool: NodePool, bounds: NodePoolBounds): string[] {
    const problems: string[] = [];
    for (const type of pool.types) {
        const shape = shapeOf(pool.platform, type, bounds.nodeShapes);
        if (!shape) problems.push(`${pool.typesPath} "${type}" is neither in the pack's ${pool.platform === "eks" ? "EC2 instance" : "GCE machine"} type table nor described in nodeShapes, so its size cannot be checked`);
        else if (shape.vcpus > bounds.maxNodeVcpus) problems.push(`${pool.typesPath} "${type}" has ${shape.vcpus} vCPUs, above the allowed ${bounds.maxNodeVcpus}`);
    }
    if (pool.maxNodes === undefined) problems.push(`${pool.maxNodesPath} is not set, so the pool's size is unbounded`);
    else if (pool.maxNodes > bounds.maxNodes) problems.push(`${pool.maxNodesPath} ${pool.maxNodes} exceeds the allowed ${bounds.maxNodes} nodes`);
    if (pool.gpus && !bounds.allowGpus) problems.push("it runs GPU nodes");
    return problems;
}

export const nodePoolBounds: ResourceValidationPolicy = {
    name: "node-pool-bounds",
    description: "EKS node groups and GKE node pools (also a GKE cluster's default and inline pools) use a known machine type of at most the configured vCPUs, at most the configured number of nodes, and no GPUs unless allowed.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxNodeVcpus: { type: "integer", minimum: 1, default: 16, description: "Largest vCPU count of one node's machine type." },
            maxNodes: { type: "integer", minimum: 1, default: 20, description: "Most nodes one pool may scale to (all zones)." },
            allowGpus: { type: "boolean", default: false, description: "Allow GPU machine types and accelerators." },
            nodeShapes: nodeShapesSchema,
        },
    },
    validateResource: forTypes("node-pool-bounds", [EKS_NODE_GROUP, GKE_NODE_POOL, GKE_CLUSTER], (args, reportViolation) => {
        const bounds = args.getConfig<NodePoolBounds>();
        const pools = nodePoolsOf(args.type, args.props);
        if (pools.length === 0) return args.notApplicable("an Autopilot cluster, or a cluster whose default pool is removed");
        const problems = pools.flatMap((pool) => nodePoolProblems(pool, bounds));
        if (problems.length > 0) {
            reportViolation(finding(`${describe(args)}: ${problems.join("; ")}`,
                `a machine type from policies/platform/instance-types.ts with at most ${bounds.maxNodeVcpus} vCPUs, at most ${bounds.maxNodes} nodes${bounds.allowGpus ? "" : ", no GPUs"}`,
                "choose a smaller listed type (on the ModelService: nodeInstanceType / nodeMachineType) and a lower nodeMax; describe a type the table lacks in nodeShapes"));
        }
    }),
};
