/** Hourly replicas and cost of the Kubernetes backends (Deployment + Service + HPA behind a load balancer). */
import { nodesFor, replicasFor, unitCapacityRps } from "./capacity";
import type { Assumptions, AwsPrices, GcpPrices, ServiceFacts, TrafficProfile } from "./types";

/** Cost of one hour of a cluster running `replicas` replicas while `rps` flows through its load balancer. */
export type KubernetesHourCost = (replicas: number, rps: number) => number;

/** GB through the load balancer in an hour: request and response bodies. */
export function loadBalancerGbPerHour(rps: number, profile: TrafficProfile, a: Assumptions): number {
    const bytesPerRequest = profile.payload_bytes + (profile.response_bytes ?? a.defaultResponseBytes);
    return (rps * 3600 * bytesPerRequest) / 1e9;
}

/** EKS: EC2 nodes packed with replicas, the control plane fee, and an ALB billed per hour and per LCU. */
export function eksHourCost(profile: TrafficProfile, prices: AwsPrices, a: Assumptions): KubernetesHourCost {
    return (replicas, rps) =>
        nodesFor(replicas, prices.eks_node.vcpu, a) * prices.eks_node.usd +
        prices.eks_control_plane.usd +
        prices.load_balancer.usd +
        loadBalancerGbPerHour(rps, profile, a) * prices.load_balancer_data.usd;
}

/** GKE Autopilot bills the pods' requested vCPU and memory, plus the cluster fee and the load balancer. */
export function gkeAutopilotHourCost(profile: TrafficProfile, prices: GcpPrices, a: Assumptions): KubernetesHourCost {
    const perReplica = a.replica.vcpu * prices.gke_autopilot_vcpu.usd + a.replica.memoryGib * prices.gke_autopilot_memory.usd;
    return (replicas, rps) =>
        replicas * perReplica +
        prices.gke_cluster_fee.usd +
        prices.load_balancer.usd +
        loadBalancerGbPerHour(rps, profile, a) * prices.load_balancer_data.usd;
}

/** Replicas the HPA runs each hour, capped at `maxReplicas` (the hybrid's baseline size). */
export function replicasByHour(rps: readonly number[], facts: ServiceFacts, a: Assumptions, maxReplicas = Infinity): number[] {
    const capacity = unitCapacityRps(facts, a.replica.vcpu, a);
    return rps.map((r) => Math.min(maxReplicas, replicasFor(r, capacity, a.minReplicas)));
}
