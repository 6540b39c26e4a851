/** Fixed inputs with round numbers, so every expected value in the advisor tests can be worked out by hand. */
import { DEFAULT_ASSUMPTIONS } from "../../advisor/assumptions";
import type { Assumptions, AwsPrices, GcpPrices, Price, PriceTable, ServiceFacts, TrafficProfile } from "../../advisor/types";

/** 200 rps per vCPU, 4 ms per request, warm p99 20 ms; cold starts 800 ms (server) and 1,200 ms (Lambda). */
export const FACTS: ServiceFacts = {
    measuredAt: "2026-01-01T00:00:00.000Z",
    rpsPerVcpu: 200,
    warmDurationMs: 4,
    warmP99Ms: 20,
    peakRssMb: 400,
    serverColdStartMs: 800,
    lambdaColdStartMs: 1200,
};

/** The defaults, except Lambda memory of exactly 1 GiB so GB-seconds are plain seconds. */
export const ASSUMPTIONS: Assumptions = { ...DEFAULT_ASSUMPTIONS, lambda: { ...DEFAULT_ASSUMPTIONS.lambda, minMemoryMb: 1024 } };

const price = (usd: number): Price => ({ usd, unit: "test", source: "https://example.test/prices" });

export const AWS: AwsPrices = {
    lambda_request: price(1e-6),
    lambda_duration: price(1e-5),
    lambda_provisioned_concurrency: price(2e-6),
    lambda_provisioned_duration: price(5e-6),
    eks_control_plane: price(0.1),
    eks_node: { ...price(0.2), vcpu: 4, memory_gib: 16 },
    load_balancer: price(0.02),
    load_balancer_data: price(0.01),
};

export const GCP: GcpPrices = {
    gke_autopilot_vcpu: price(0.04),
    gke_autopilot_memory: price(0.005),
    gke_cluster_fee: price(0.1),
    cloud_run_vcpu: price(2e-5),
    cloud_run_memory: price(1e-6),
    cloud_run_request: price(1e-6),
    cloud_run_idle_vcpu: price(1e-6),
    cloud_run_idle_memory: price(1e-6),
    load_balancer: price(0.02),
    load_balancer_data: price(0.01),
};

export const PRICES: PriceTable = { as_of: "2026-01-01", currency: "USD", aws: { "test-aws-1": AWS }, gcp: { "test-gcp-1": GCP } };

/** A profile whose every hour carries `rps`, or the given 168 values. */
export function profile(rps: number | number[], overrides: Partial<TrafficProfile> = {}): TrafficProfile {
    return {
        name: "test",
        rps_by_hour: Array.isArray(rps) ? rps : new Array<number>(168).fill(rps),
        payload_bytes: 1000,
        response_bytes: 1000,
        latency_slo_ms_p99: 250,
        region: { aws: "test-aws-1", gcp: "test-gcp-1" },
        ...overrides,
    };
}

export function near(actual: number, expected: number, relative = 1e-9): boolean {
    return Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));
}
