import { allowedBy, cloudOf, describeResidency, regionsOf, RESIDENCY_AREAS, type Residency } from "../../policies/platform/regions";
import { parseScheduleLines } from "../schedule/spec";
import { cloudRunSizeProblems, lambdaSizeProblem } from "../../policies/platform/limits";
import { cpuMillis, memoryMiB, MiB } from "../../policies/platform/quantity";
import { BACKENDS, type Backend, type BaselinePlatform, type ClusterSource, type KubernetesSettings, type OverflowPlatform, type Platform, type ServiceSpec, type StackSpec } from "../spec";
import { CONFIG_KEYS, PROVIDER_KEYS, type ConfigKey } from "./keys";

/** Every problem found in one stack's config, one line each, each naming the file, the key and the value. */
export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "ConfigError";
    }
}

const PROJECT = "model-serving";
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IAM_MEMBER = /^(user|group|serviceAccount|domain|principal|principalSet):\S+$/;
/** Variables the component sets itself; a stack overriding them would break probes or draining. */
const RESERVED_ENV = ["PORT", "MODEL_DIR", "LOG_LEVEL", "SHUTDOWN_GRACE_SECONDS"];
/** Set by a hybrid stack on its pods; other backends may still point OVERFLOW_URL at a copy they run elsewhere. */
const HYBRID_RESERVED_ENV = ["OVERFLOW_URL", "OVERFLOW_QUEUE_THRESHOLD", "OVERFLOW_AUTH"];
/** The serverless overflow next to each hybrid baseline: the same cloud, so the pods' identity can be granted the invoke. */
export const HYBRID_OVERFLOW = { eks: "lambda", gke: "cloudrun" } as const;
/** Overflow keys a hybrid stack may not set: the overflow is a private Function URL / Cloud Run service only the pods invoke. */
const HYBRID_FIXED_KEYS: Record<string, string> = {
    lambdaEndpoint: "the hybrid overflow is always a private (AWS_IAM) Function URL",
    invokers: "only the baseline's pods may invoke the hybrid overflow",
    ingress: "the hybrid overflow keeps ingress all (pods reach it over Google's network) and relies on IAM",
};

/**
 * Turns one stack's config (fully-qualified keys, values as Pulumi passes them: strings, arrays JSON-encoded) into a
 * validated {@link StackSpec}. `source` is the stack file, e.g. `stacks/Pulumi.dev.yaml`, quoted in every message.
 * Throws {@link ConfigError} listing every problem at once; returns warnings for settings a backend approximates.
 */
export function parseStackConfig(config: Record<string, string>, source: string): StackSpec & { warnings: string[] } {
    const problems: string[] = [];
    const problem = (key: string, value: unknown, why: string) =>
        problems.push(`${source}: ${key} ${JSON.stringify(value)} ${why}`);
    const known = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

    for (const fullKey of Object.keys(config)) {
        if (!fullKey.startsWith(`${PROJECT}:`)) continue;
        const name = fullKey.slice(PROJECT.length + 1);
        if (!known.has(name)) problem(fullKey, config[fullKey], `is not a known key; known keys: ${[...known.keys()].join(", ")}`);
    }

    const raw = (name: string): string | undefined => config[`${PROJECT}:${name}`];
    const str = (name: string): string => raw(name) ?? String(known.get(name)!.default ?? "");
    const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
        const value = str(name);
        if (!(allowed as readonly string[]).includes(value)) problem(`${PROJECT}:${name}`, value, `is not one of ${allowed.join(", ")}`);
        return value as T;
    };
    const int = (name: string, min: number, max: number): number => {
        const text = str(name);
        const value = Number(text);
        if (!/^-?\d+$/.test(text) || value < min || value > max) {
            problem(`${PROJECT}:${name}`, text, `is not a whole number from ${min} to ${max}`);
        }
        return value;
    };
    const bool = (name: string): boolean => oneOf(name, ["true", "false"]) === "true";
    const list = (name: string): string[] => {
        const text = raw(name);
        if (text === undefined) return known.get(name)!.default as string[];
        try {
            const parsed: unknown = JSON.parse(text);
            if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
        } catch {
            // reported below
        }
        problem(`${PROJECT}:${name}`, text, "is not a list of strings");
        return [];
    };
    const matching = (name: string, pattern: RegExp, what: string): string => {
        const value = str(name);
        if (!pattern.test(value)) problem(`${PROJECT}:${name}`, value, `is not ${what}`);
        return value;
    };

    if (raw("backend") === undefined) {
        problems.push(`${source}: ${PROJECT}:backend is not set; set it to one of ${BACKENDS.join(", ")}`);
        throw new ConfigError(problems);
    }
    const backend = oneOf("backend", BACKENDS);
    if (!BACKENDS.includes(backend)) throw new ConfigError(problems);
    let baseline: BaselinePlatform["backend"] | undefined;
    if (backend === "hybrid") {
        if (!str("hybridBaseline")) {
            problems.push(`${source}: ${PROJECT}:hybridBaseline is not set; backend hybrid needs it: eks (overflow on Lambda) or gke (overflow on Cloud Run)`);
            throw new ConfigError(problems);
        }
        baseline = oneOf("hybridBaseline", ["eks", "gke"] as const);
        if (!(baseline in HYBRID_OVERFLOW)) throw new ConfigError(problems);
    }
    // A hybrid stack takes the keys of its baseline and its overflow besides its own.
    const uses: Backend[] = baseline ? [backend, baseline, HYBRID_OVERFLOW[baseline]] : [backend];
    // The serverless copy's limits (size, timeout, model source) apply to a hybrid stack too.
    const serverless = baseline ? HYBRID_OVERFLOW[baseline] : backend;

    for (const key of CONFIG_KEYS) {
        const value = raw(key.name);
        if (value === undefined || sameAsDefault(key, value)) continue;
        if (baseline && HYBRID_FIXED_KEYS[key.name]) problem(`${PROJECT}:${key.name}`, value, `cannot be set with backend hybrid: ${HYBRID_FIXED_KEYS[key.name]} (remove it from the stack)`);
        else if (!key.backends.some((b) => uses.includes(b))) {
            problem(`${PROJECT}:${key.name}`, value, `is a ${key.backends.join("/")} setting; backend ${[backend, ...(baseline ? [`with hybridBaseline ${baseline}`] : [])].join(" ")} does not use it (remove it from the stack)`);
        }
    }

    const name = matching("serviceName", /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/, "a lowercase DNS label of at most 30 characters");
    const modelName = matching("modelName", DNS_LABEL, "a lowercase DNS label");
    const modelVersion = matching("modelVersion", /^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a version made of letters, digits, '.', '_' and '-'");
    const modelSource = oneOf("modelSource", ["image", "bucket"] as const);
    if (modelSource === "bucket" && serverless === "lambda") {
        problem(`${PROJECT}:modelSource`, "bucket", `is not available on ${baseline ? "hybrid with hybridBaseline eks (its overflow is a Lambda)" : "lambda"}: Lambda cannot mount a bucket, so the model must be in the image; use image`);
    }
    const modelPath = matching("modelPath", /^(\/\S*)?$/, "empty or an absolute path");
    const cpu = str("cpu");
    if (!(cpuMillis(cpu) >= 1)) problem(`${PROJECT}:cpu`, cpu, "is not a positive CPU quantity such as 500m, 1 or 2");
    const memory = str("memory");
    if (!(memoryMiB(memory) >= 1)) problem(`${PROJECT}:memory`, memory, "is not a memory quantity of at least 1Mi such as 512Mi or 2Gi");
    const scaling = {
        min: int("minReplicas", 0, 1000),
        max: int("maxReplicas", 1, 1000),
        cpuTargetPercent: int("cpuTargetPercent", 10, 100),
        queueLengthTarget: int("queueLengthTarget", 1, 1000),
        concurrency: int("concurrency", 1, 1000),
    };
    if (scaling.min > scaling.max) problem(`${PROJECT}:minReplicas`, scaling.min, `is above ${PROJECT}:maxReplicas ${scaling.max}`);
    const scheduled = parseScheduleLines(list("scalingSchedule"), str("scalingTimeZone"), scaling.max);
    for (const why of scheduled.problems) problem(`${PROJECT}:scalingSchedule`, raw("scalingSchedule"), why);
    const warnings: string[] = [];
    if (scaling.min === 0 && (backend === "eks" || backend === "gke" || backend === "hybrid")) {
        warnings.push(`${source}: ${PROJECT}:minReplicas 0 asks for scale-to-zero, which a ${backend} HPA does not offer; running at least 1 replica`);
    }
    if (!Number.isNaN(cpuMillis(cpu)) && !Number.isNaN(memoryMiB(memory))) {
        const [cores, bytes] = [cpuMillis(cpu) / 1000, memoryMiB(memory) * MiB];
        const misfit = serverless === "cloudrun" ? cloudRunSizeProblems(cores, bytes, { secondGeneration: true }).join("; ") || undefined
            : serverless === "lambda" ? lambdaSizeProblem(cores, bytes) : undefined;
        if (misfit) problem(`${PROJECT}:cpu/memory`, `${cpu}/${memory}`, `does not fit ${serverless}${baseline ? " (the hybrid overflow)" : ""}: ${misfit}`);
    }

    const env: Record<string, string> = {};
    const reservedEnv = baseline ? [...RESERVED_ENV, ...HYBRID_RESERVED_ENV] : RESERVED_ENV;
    for (const entry of list("env")) {
        const eq = entry.indexOf("=");
        const envName = eq > 0 ? entry.slice(0, eq) : entry;
        if (eq <= 0 || !ENV_NAME.test(envName)) problem(`${PROJECT}:env`, entry, "is not NAME=value");
        else if (reservedEnv.includes(envName)) problem(`${PROJECT}:env`, entry, `sets ${envName}, which the component sets itself (reserved: ${reservedEnv.join(", ")})`);
        else env[envName] = entry.slice(eq + 1);
    }

    const area = oneOf("residency", RESIDENCY_AREAS);
    const allowedRegions = list("allowedRegions");
    const residency: Residency = allowedRegions.length > 0 ? { area, regions: allowedRegions } : { area };

    const service: ServiceSpec = {
        name,
        model: { name: modelName, version: modelVersion, artifact: modelSource === "bucket" ? { source: "bucket", prefix: `${modelName}/${modelVersion}/` } : modelPath ? { source: "image", path: modelPath } : { source: "image" } },
        imageTag: matching("imageTag", /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a valid image tag"),
        image: str("image") || undefined,
        cpu,
        memory,
        scaling: scheduled.schedule ? { ...scaling, schedule: scheduled.schedule } : scaling,
        exposure: oneOf("exposure", ["private", "public"] as const),
        residency,
        env,
        logLevel: oneOf("logLevel", ["trace", "debug", "info", "warn", "error"] as const),
        requestTimeoutSeconds: int("requestTimeoutSeconds", 1, serverless === "lambda" ? 900 : 3600),
    };

    const cloud = [backend, baseline].some((b) => b === "eks" || b === "lambda") ? "aws" : "gcp";
    const regionKey = cloud === "aws" ? PROVIDER_KEYS.awsRegion : PROVIDER_KEYS.gcpRegion;
    const region = config[regionKey];
    if (region === undefined) {
        problems.push(`${source}: ${regionKey} is not set; backend ${backend} runs on ${cloud} and needs it`);
    } else if (cloudOf(region) !== cloud) {
        problem(regionKey, region, `is not a ${cloud} region; allowed: ${regionsOf(cloud).join(", ")}`);
    } else {
        if (!allowedBy(residency, region)) {
            const allowed = regionsOf(cloud).filter((r) => allowedBy(residency, r));
            problem(regionKey, region, `is outside residency ${describeResidency(residency)}; allowed ${cloud} regions: ${allowed.join(", ") || "none"}`);
        }
    }
    const project = config[PROVIDER_KEYS.gcpProject];
    if (cloud === "gcp" && !project) problems.push(`${source}: ${PROVIDER_KEYS.gcpProject} is not set; backend ${backend} runs on gcp and needs it`);

    const readers = { str, int, bool, oneOf, list, problem };
    const platform: Platform = baseline
        ? {
            backend: "hybrid", region: region ?? "",
            baseline: parsePlatform(baseline, region ?? "", project ?? "", readers) as BaselinePlatform,
            overflow: parsePlatform(HYBRID_OVERFLOW[baseline], region ?? "", project ?? "", readers) as OverflowPlatform,
            queueThreshold: int("overflowQueueThreshold", 0, 100000),
        }
        : parsePlatform(backend as Exclude<Backend, "hybrid">, region ?? "", project ?? "", readers);
    if (platform.backend === "hybrid" && platform.baseline.backend === "eks" && platform.baseline.kubernetes.cluster.kind !== "new") {
        problem(`${PROJECT}:hybridBaseline`, "eks", "needs a new EKS cluster (its Pod Identity agent lets the pods invoke the Lambda overflow); remove kubeconfig / clusterStackReference or use gke");
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return { service, platform, warnings };
}

interface Readers {
    str(name: string): string;
    int(name: string, min: number, max: number): number;
    bool(name: string): boolean;
    oneOf<T extends string>(name: string, allowed: readonly T[]): T;
    list(name: string): string[];
    problem(key: string, value: unknown, why: string): void;
}

function parsePlatform(backend: Exclude<Backend, "hybrid">, region: string, project: string, r: Readers): Exclude<Platform, { backend: "hybrid" }> {
    switch (backend) {
        case "eks":
            return { backend, region, kubernetes: kubernetesSettings(r), nodeInstanceType: r.str("nodeInstanceType"), nodeCount: nodeCount(r) };
        case "gke":
            return {
                backend, region, project, kubernetes: kubernetesSettings(r),
                gkeMode: r.oneOf("gkeMode", ["autopilot", "standard"] as const), nodeMachineType: r.str("nodeMachineType"), nodeCount: nodeCount(r),
            };
        case "cloudrun":
            return {
                backend, region, project, startupCpuBoost: r.bool("startupCpuBoost"),
                ingress: r.oneOf("ingress", ["all", "internal", "internal-and-cloud-load-balancing"] as const),
                invokers: invokers(r),
            };
        case "lambda":
            return {
                backend, region, architecture: r.oneOf("lambdaArchitecture", ["x86_64", "arm64"] as const),
                endpoint: r.oneOf("lambdaEndpoint", ["function-url", "http-api"] as const),
                logRetentionDays: Number(r.oneOf("logRetentionDays", CLOUDWATCH_RETENTION_DAYS.map(String))),
            };
    }
}

/** The retention values CloudWatch Logs accepts. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

function kubernetesSettings(r: Readers): KubernetesSettings {
    const stackReference = r.str("clusterStackReference");
    const kubeconfigSet = r.str("kubeconfig") !== "";
    let cluster: ClusterSource = { kind: "new" };
    if (kubeconfigSet && stackReference) {
        r.problem("model-serving:clusterStackReference", stackReference, "cannot be combined with model-serving:kubeconfig; set one of them");
    } else if (kubeconfigSet) {
        cluster = { kind: "kubeconfig", configKey: "kubeconfig" };
    } else if (stackReference) {
        if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(stackReference)) r.problem("model-serving:clusterStackReference", stackReference, "is not org/project/stack");
        cluster = { kind: "stackReference", stack: stackReference, outputName: r.str("clusterStackOutput") };
    }
    const namespace = r.str("namespace");
    if (!DNS_LABEL.test(namespace)) r.problem("model-serving:namespace", namespace, "is not a lowercase DNS label");
    return { namespace, cluster, installMetricsAdapter: r.bool("installMetricsAdapter"), prometheusUrl: r.str("prometheusUrl"), ingressNamespace: r.str("ingressNamespace") };
}

function invokers(r: Readers): string[] {
    const members = r.list("invokers");
    for (const member of members) {
        if (member === "allUsers" || member === "allAuthenticatedUsers") r.problem("model-serving:invokers", member, "would make the service public; set model-serving:exposure public instead");
        else if (!IAM_MEMBER.test(member)) r.problem("model-serving:invokers", member, "is not an IAM member such as user:, group:, serviceAccount:, domain:, principal: or principalSet:");
    }
    return members;
}

function nodeCount(r: Readers): { min: number; max: number } {
    const count = { min: r.int("nodeMin", 1, 100), max: r.int("nodeMax", 1, 100) };
    if (count.min > count.max) r.problem("model-serving:nodeMin", count.min, `is above model-serving:nodeMax ${count.max}`);
    return count;
}

/** Pulumi injects Pulumi.yaml defaults into every stack, so a key equal to its default counts as unset. */
function sameAsDefault(key: ConfigKey, value: string): boolean {
    if (key.default === undefined) return false;
    return Array.isArray(key.default) ? value === JSON.stringify(key.default) : value === String(key.default);
}
