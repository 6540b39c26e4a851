import { CLOUD_RUN, LAMBDA } from "../../policies/platform/limits";
import { SERVICE_ENV } from "../../services/inference/src/contract";
import { cloudOf, regionsOf, RESIDENCY_AREAS, type Residency } from "../../policies/platform/regions";
import { parseScheduleLines } from "../schedule/spec";
import { BACKENDS, type Backend, type BaselinePlatform, type Platform, type ServiceSpec, type StackSpec } from "../spec";
import { BACKEND_TABLE, cloudOfBackend, HYBRID_OVERFLOW, keysUsedBy, servingBackends, specFindings, type BackendEntry } from "./backends";
import { formatFinding } from "./findings";
import { CONFIG_KEYS, PROVIDER_KEYS } from "./keys";
import { DNS_LABEL } from "./platforms";
import { PROJECT, readersOf, setKeys, type ProblemSink, type Readers } from "./readers";
import { quantityFindings } from "./rules";
import { parseCanary, parseObservability, replicaShareWarning } from "./rollout";

/** Every problem found in one stack's config, one line each, each naming the file, the key and the value. */
export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "ConfigError";
    }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Variables the component sets itself: a stack overriding them would break probes, draining or the model served, or
 * (SECRETS_ARN) point the function at a secret its role may not read; secretEnv is the way to add secrets.
 */
const RESERVED_ENV = [SERVICE_ENV.port, SERVICE_ENV.modelDir, SERVICE_ENV.bundledModelVersion, SERVICE_ENV.logLevel, SERVICE_ENV.shutdownGraceSeconds, SERVICE_ENV.secretsArn].map((v) => v.name);
/** Set by a hybrid stack on its pods; other backends may still point OVERFLOW_URL at a copy they run elsewhere. */
const HYBRID_RESERVED_ENV = [SERVICE_ENV.overflowUrl, SERVICE_ENV.overflowQueueThreshold, SERVICE_ENV.overflowAuth].map((v) => v.name);

/**
 * Turns one stack's config (fully-qualified keys, values as Pulumi passes them: strings, arrays JSON-encoded) into a
 * validated {@link StackSpec}. `source` is the stack file, e.g. `stacks/Pulumi.dev.yaml`, quoted in every message.
 * Throws {@link ConfigError} listing every problem at once: values a key cannot take, and the rule set of
 * backends.ts / rules.ts (the same rules ModelService applies, so it never refuses what this accepted). Returns
 * warnings: keys the chosen backend does not use (listed once, so a backend switch keeps its tuned values), settings
 * a backend approximates, capacity that would leave replicas Pending.
 */
export function parseStackConfig(config: Record<string, string>, source: string): StackSpec & { warnings: string[] } {
    const problems: string[] = [];
    const problem: ProblemSink = (key, value, why) => problems.push(`${source}: ${key} ${JSON.stringify(value)} ${why}`);
    const known = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

    for (const fullKey of Object.keys(config)) {
        if (!fullKey.startsWith(`${PROJECT}:`)) continue;
        const name = fullKey.slice(PROJECT.length + 1);
        if (!known.has(name)) problem(fullKey, config[fullKey], `is not a known key; known keys: ${[...known.keys()].join(", ")}`);
    }

    const r = readersOf(config, problem);
    const { raw, str, int, oneOf, list, matching } = r;

    if (raw("backend") === undefined) {
        problems.push(`${source}: ${PROJECT}:backend is not set; set it to one of ${BACKENDS.join(", ")}`);
        throw new ConfigError(problems);
    }
    const backend = oneOf("backend", BACKENDS);
    if (!BACKENDS.includes(backend)) throw new ConfigError(problems);
    let baseline: BaselinePlatform["backend"] | undefined;
    if (backend === "hybrid") {
        baseline = hybridBaselineOf(r, config, source, problems);
        if (!baseline) throw new ConfigError(problems);
    }
    const uses = servingBackends(backend, baseline);

    const name = matching("serviceName", /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/, "a lowercase DNS label of at most 30 characters");
    const modelName = matching("modelName", DNS_LABEL, "a lowercase DNS label");
    const modelVersion = matching("modelVersion", /^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a version made of letters, digits, '.', '_' and '-'");
    const modelSource = oneOf("modelSource", ["image", "bucket"] as const);
    const modelPath = matching("modelPath", /^(\/\S*)?$/, "empty or an absolute path");
    const cpu = str("cpu");
    const memory = str("memory");
    for (const finding of quantityFindings(cpu, memory)) problems.push(formatFinding(finding, source));
    const scaling = {
        min: int("minReplicas", 0, 1000),
        max: int("maxReplicas", 1, 1000),
        cpuTargetPercent: int("cpuTargetPercent", 10, 100),
        queueLengthTarget: int("queueLengthTarget", 1, 1000),
        concurrency: int("concurrency", 1, 1000),
    };
    const scheduled = parseScheduleLines(list("scalingSchedule"), str("scalingTimeZone"), scaling.max);
    for (const why of scheduled.problems) problem(`${PROJECT}:scalingSchedule`, raw("scalingSchedule"), why);
    const warnings: string[] = [];
    if (scaling.min === 0 && (backend === "eks" || backend === "gke" || backend === "hybrid")) {
        warnings.push(`${source}: ${PROJECT}:minReplicas 0 asks for scale-to-zero, which a ${backend} HPA does not offer; running at least 1 replica`);
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
        lambdaImage: str("lambdaImage") || undefined,
        ...renamed(str("renamedFrom"), name, problem),
        deletionPolicy: oneOf("deletionPolicy", ["delete", "retain"] as const),
        secretEnv: secretEnvNames(list("secretEnv"), env, reservedEnv, config, problem),
        cpu,
        memory,
        scaling: scheduled.schedule ? { ...scaling, schedule: scheduled.schedule } : scaling,
        exposure: oneOf("exposure", ["private", "public"] as const),
        residency,
        env,
        logLevel: oneOf("logLevel", ["trace", "debug", "info", "warn", "error"] as const),
        // The longest any backend allows; rules.ts holds each backend to its own limit.
        requestTimeoutSeconds: int("requestTimeoutSeconds", 1, Math.max(LAMBDA.maxTimeoutSeconds, CLOUD_RUN.maxTimeoutSeconds)),
        ...optionalCanary(parseCanary(r, modelVersion, modelSource === "image" ? modelPath : "")),
        observability: parseObservability(r),
    };

    const cloud = cloudOfBackend(backend, baseline);
    const regionKey = cloud === "aws" ? PROVIDER_KEYS.awsRegion : PROVIDER_KEYS.gcpRegion;
    const region = config[regionKey];
    if (region === undefined) {
        problems.push(`${source}: ${regionKey} is not set; backend ${backend} runs on ${cloud} and needs it`);
    } else if (cloudOf(region) !== cloud) {
        problem(regionKey, region, `is not a ${cloud} region; allowed: ${regionsOf(cloud).join(", ")}`);
    }
    const project = config[PROVIDER_KEYS.gcpProject];
    if (cloud === "gcp" && !project) problems.push(`${source}: ${PROVIDER_KEYS.gcpProject} is not set; backend ${backend} runs on gcp and needs it`);

    const location = { region: region ?? "", project: project ?? "", hybridBaseline: baseline ?? "eks" };
    const platform: Platform = (BACKEND_TABLE[backend] as BackendEntry<Backend>).parse(r, location);
    warnings.unshift(...unusedKeyWarnings(config, backend, platform, uses, r, location, source));
    imageProblems(service, platform, problem);
    const kubernetes = platform.backend === "hybrid" ? platform.baseline.kubernetes : "kubernetes" in platform ? platform.kubernetes : undefined;
    if (service.canary && kubernetes && !kubernetes.gateway) {
        const warning = replicaShareWarning(service.canary, service.scaling, backend, source);
        if (warning) warnings.push(warning);
    }
    // The rule set runs on a spec whose every value was readable; its findings name the keys to change.
    if (problems.length === 0) {
        for (const finding of specFindings(service, platform)) (finding.level === "error" ? problems : warnings).push(formatFinding(finding, source));
    }
    if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
    return { service, platform, warnings };
}

/** `renamedFrom`: the previous serviceName, a DNS label like it and not the same. */
function renamed(previous: string, name: string, problem: (key: string, value: unknown, why: string) => void): { renamedFrom?: string } {
    if (!previous) return {};
    if (!/^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/.test(previous)) problem(`${PROJECT}:renamedFrom`, previous, "is not a lowercase DNS label of at most 30 characters (the serviceName the stack had)");
    else if (previous === name) problem(`${PROJECT}:renamedFrom`, previous, `is the current ${PROJECT}:serviceName; set it to the previous name, or remove it`);
    return { renamedFrom: previous };
}

/** An image in ECR; Lambda pulls from nowhere else. */
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/;

/** Prebuilt images: Lambda pulls only from ECR, and a hybrid on eks needs the Lambda-target image named too. */
function imageProblems(service: ServiceSpec, platform: Platform, problem: (key: string, value: unknown, why: string) => void): void {
    const lambdaRuns = platform.backend === "lambda" ? service.image : platform.backend === "hybrid" && platform.overflow.backend === "lambda" ? service.lambdaImage : undefined;
    const lambdaKey = platform.backend === "lambda" ? "image" : "lambdaImage";
    if (lambdaRuns && !ECR_IMAGE.test(lambdaRuns)) {
        problem(`${PROJECT}:${lambdaKey}`, lambdaRuns, "is not an ECR image (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>); Lambda pulls container images from ECR only");
    }
    if (platform.backend === "hybrid" && platform.overflow.backend === "lambda" && service.image && !service.lambdaImage) {
        problem(`${PROJECT}:lambdaImage`, "", `is required with ${PROJECT}:image on a hybrid eks stack: the Lambda overflow runs the Dockerfile's lambda target, a different image (or unset image to build both here)`);
    }
}

/** Names of secret variables: valid, not set by the component or by model-serving:env, each with its secrets:<NAME> value. */
function secretEnvNames(names: string[], env: Record<string, string>, reserved: readonly string[], config: Record<string, string>, problem: (key: string, value: unknown, why: string) => void): string[] {
    for (const name of names) {
        if (!ENV_NAME.test(name)) problem(`${PROJECT}:secretEnv`, name, "is not an environment variable name");
        else if (reserved.includes(name)) problem(`${PROJECT}:secretEnv`, name, `is set by the component itself (reserved: ${reserved.join(", ")})`);
        else if (name in env) problem(`${PROJECT}:secretEnv`, name, `is also in ${PROJECT}:env; keep it only here and remove the plain value`);
        else if (config[`secrets:${name}`] === undefined) problem(`secrets:${name}`, "", `is not set; set the value with \`pulumi config set --secret secrets:${name} …\``);
    }
    return names;
}

/**
 * hybrid's baseline: the hybridBaseline key, else the cloud whose region key the stack sets (aws:region → eks,
 * gcp:region → gke), so switching a stack to hybrid is one key.
 */
function hybridBaselineOf(r: Readers, config: Record<string, string>, source: string, problems: string[]): BaselinePlatform["backend"] | undefined {
    if (r.str("hybridBaseline")) {
        const baseline = r.oneOf("hybridBaseline", ["eks", "gke"] as const);
        return baseline in HYBRID_OVERFLOW ? baseline : undefined;
    }
    const byRegion = ([[PROVIDER_KEYS.awsRegion, "eks"], [PROVIDER_KEYS.gcpRegion, "gke"]] as const).filter(([regionKey]) => config[regionKey] !== undefined);
    if (byRegion.length === 1) return byRegion[0][1];
    problems.push(`${source}: ${PROJECT}:hybridBaseline is not set and ${byRegion.length === 0 ? "neither aws:region nor gcp:region is" : "both aws:region and gcp:region are"} set; backend hybrid needs it: eks (overflow on Lambda) or gke (overflow on Cloud Run)`);
    return undefined;
}

/**
 * One warning listing every key the stack sets that the chosen backend does not use, so a backend switch keeps
 * the values tuned for another backend. Their values must still be valid for their keys: the backends that do use
 * them parse them (problems go to the same sink, so an invalid one is still an error).
 */
function unusedKeyWarnings(config: Record<string, string>, backend: Backend, platform: Platform, uses: Backend[], r: Readers, location: Parameters<BackendEntry<Backend>["parse"]>[1], source: string): string[] {
    const idle = (BACKEND_TABLE[backend] as BackendEntry<Backend>).idleKeys(platform);
    const keys = new Map(CONFIG_KEYS.map((k) => [k.name, k]));
    const used = keysUsedBy(uses);
    const unused = [...setKeys(config)].filter(([name]) => idle[name] || !used.has(name));
    if (unused.length === 0) return [];
    for (const other of BACKENDS.filter((b) => !uses.includes(b) && unused.some(([name]) => keys.get(name)!.backends.includes(b)))) {
        (BACKEND_TABLE[other] as BackendEntry<Backend>).parse(r, location);
    }
    const listed = unused.map(([name, value]) => `${PROJECT}:${name} ${JSON.stringify(value)} (${idle[name] ?? `used by ${keys.get(name)!.backends.join("/")}`})`);
    return [`${source}: backend ${backend}${platform.backend === "hybrid" ? ` with hybridBaseline ${platform.baseline.backend}` : ""} does not use ${listed.join(", ")}; ignored, and kept for switching back (remove them to silence this warning)`];
}

/** The canary key of the spec: absent rather than undefined, so specs without one compare equal to older ones. */
function optionalCanary(canary: ServiceSpec["canary"]): Pick<ServiceSpec, "canary"> {
    return canary ? { canary } : {};
}
