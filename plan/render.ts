import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { specialSecretSig, specialResourceSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { parse as parseYaml } from "yaml";
import { modelServingProgram } from "../components/program";
import { mockCall, mockResourceState } from "./mocks";

/** One resource the program registers, as the engine would receive it. */
export interface RenderedResource {
    /** URN, as the mock engine computes it (parent types are folded into the type segment like the real engine does). */
    urn: string;
    /** Resource type token, e.g. `aws:lambda/function:Function`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Parent URN; absent only for the root stack resource. */
    parent?: string;
    /** True for provider (custom) resources, false for components. */
    custom: boolean;
    /** URN of the explicit provider resource, when one was passed. */
    provider?: string;
    /** True for resources the program reads rather than manages (StackReference). */
    read?: boolean;
    /** Inputs after Output resolution; unknown-at-preview values are {@link UNKNOWN}, secrets are "[secret]". */
    inputs: Record<string, unknown>;
    /** Input paths later updates leave alone (owned by a controller: an autoscaler's desiredSize, a schedule's minReplicas). */
    ignoreChanges?: string[];
    /** retainOnDelete: Pulumi forgets the resource instead of deleting it (production data and registries). */
    retainOnDelete?: boolean;
    /** URNs of the resources this one waits for (its inputs' sources and dependsOn), as the engine orders them. */
    dependencies?: string[];
    /** With {@link RenderOptions.aliasUrns}: the URNs this resource also answers to (its own and its parents' aliases). */
    aliases?: string[];
}

/** Everything `pulumi preview`/`up` would register for one stack. */
export interface RenderedStack {
    /** Project name from Pulumi.yaml. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Effective config: the stack's keys plus Pulumi.yaml defaults, fully qualified ("model-serving:backend"). */
    config: Record<string, string>;
    /** Every registered resource in registration order, the root pulumi:pulumi:Stack first. */
    resources: RenderedResource[];
    /** Stack outputs (unknown values as {@link UNKNOWN}). */
    outputs: Record<string, unknown>;
    /** Warnings the program logged (pulumi.log.warn), e.g. keys the chosen backend does not use. */
    warnings: string[];
}

/** How a value unknown until apply appears in inputs and outputs: the engine's own sentinel, as policy packs see it. */
export const UNKNOWN: string = unknownValue;
/** Whether a rendered value is unknown until the resource is created. */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}
/** How secret values appear in a render. */
export const SECRET = "[secret]";

const ROOT = path.resolve(__dirname, "..");

/**
 * Reads `stacks/Pulumi.<stack>.yaml` into the form Pulumi passes a program: fully-qualified keys, string values,
 * objects and arrays JSON-encoded. Encrypted (`secure:`) values cannot be decrypted offline and become "[secret]".
 */
export function readStackConfigFile(file: string): { stack: string; config: Record<string, string> } {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    if (!match) throw new Error(`${file}: not a stack config file; expected Pulumi.<stack>.yaml`);
    const document = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(document.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${projectFile().name}:${key}`;
        config[fullKey] = configValue(value);
    }
    return { stack: match[1], config };
}

/** Pulumi.yaml's project-level config defaults, fully qualified, as the CLI merges them into every stack. */
export function projectConfigDefaults(): Record<string, string> {
    const project = projectFile();
    const defaults: Record<string, string> = {};
    for (const [key, schema] of Object.entries(project.config ?? {})) {
        if (schema && typeof schema === "object" && "default" in schema) {
            defaults[key.includes(":") ? key : `${project.name}:${key}`] = configValue((schema as { default: unknown }).default);
        }
    }
    return defaults;
}

function projectFile(): { name: string; config?: Record<string, unknown> } {
    return parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
}

function configValue(value: unknown): string {
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) return SECRET;
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** What to render. */
export interface RenderOptions {
    /** Stack name, as `pulumi stack select` would name it. */
    stack: string;
    /** The stack's config, fully-qualified keys (Pulumi.yaml defaults are added). */
    config: Record<string, string>;
    /** Run as `pulumi preview`: values the cloud assigns at creation stay {@link UNKNOWN}. */
    preview?: boolean;
    /** Config file named in validation messages; default stacks/Pulumi.<stack>.yaml. */
    configFile?: string;
    /**
     * Record each resource's aliases as URNs, computed by the SDK as it does for engines without alias specs
     * (parents' aliases included), so a test can prove that existing stacks keep their resources.
     */
    aliasUrns?: boolean;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the real program (the function index.ts runs) under `pulumi.runtime.setMocks` with one stack's config and
 * records every registration. Renders are serialised (the Pulumi runtime is process-global) and each one resets
 * config and mocks, so one process can render every stack.
 */
export function renderStack(opts: RenderOptions): Promise<RenderedStack> {
    const run = queue.then(() => renderOnce(opts));
    queue = run.catch(() => undefined);
    return run;
}

async function renderOnce(opts: RenderOptions): Promise<RenderedStack> {
    const project = projectFile().name;
    const config = { ...projectConfigDefaults(), ...opts.config };
    const preview = opts.preview ?? false;
    const resources: RenderedResource[] = [];
    let outputs: Record<string, unknown> = {};

    const mocks: pulumi.runtime.Mocks = {
        newResource: (args) => mockResourceState(args, config, preview),
        call: (args) => mockCall(args, config),
    };
    await pulumi.runtime.setMocks(mocks, project, opts.stack, preview);
    pulumi.runtime.setAllConfig(config, Object.keys(config).filter((key) => config[key] === SECRET));
    const monitor = settings.getMonitor() as unknown as MockMonitor;
    // A monitor without alias specs gets aliases as URNs, computed by the SDK (with one level of parent aliases).
    if (opts.aliasUrns) withoutAliasSpecs(monitor);
    const refused: string[] = [];
    recordRegistrations(monitor, resources, (stackOutputs) => { outputs = stackOutputs; }, (error) => refused.push(error.message));

    const warnings = await capturingWarnings(async () => {
        await runInPulumiStack(async () => modelServingProgram({ configFile: opts.configFile }));
        await waitForRpcs();
    });
    // A registration the mocks refused (a name over its API's limit) is what the provider would refuse in `pulumi up`.
    if (refused.length > 0) throw new Error(refused.join("\n"));
    return { project, stack: opts.stack, config, resources, outputs, warnings };
}

/** Without an engine (as under mocks) pulumi.log.warn writes "warning: [runtime] <message>" to console.warn: collect those. */
async function capturingWarnings(run: () => Promise<void>): Promise<string[]> {
    const warnings: string[] = [];
    const prefix = "warning: [runtime] ";
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (text.startsWith(prefix)) warnings.push(text.slice(prefix.length));
        else original(...args);
    };
    try {
        await run();
    } finally {
        console.warn = original;
    }
    return warnings;
}

type Callback = (error: Error | null, response?: { getUrn(): string }) => void;

/** Makes the mock monitor deny the "aliasSpecs" feature (queried when the program starts). */
function withoutAliasSpecs(monitor: MockMonitor): void {
    type FeatureCallback = (error: Error | null, response: { getHassupport(): boolean }) => void;
    const target = monitor as unknown as { supportsFeature(req: { getId(): string }, callback: FeatureCallback): void };
    const original = target.supportsFeature.bind(monitor);
    target.supportsFeature = (req, callback) => (req.getId() === "aliasSpecs" ? callback(null, { getHassupport: () => false }) : original(req, callback));
}
type Struct = { toJavaScript(): Record<string, unknown> } | undefined;
interface RegisterRequest { getType(): string; getName(): string; getParent(): string; getCustom(): boolean; getProvider(): string; getObject(): Struct; getAliasurnsList?(): string[]; getDependenciesList?(): string[]; getRetainondelete?(): boolean; getIgnorechangesList?(): string[] }
interface ReadRequest { getType(): string; getName(): string; getParent(): string; getProvider(): string; getProperties(): Struct }
interface OutputsRequest { getUrn(): string; getOutputs(): Struct }

/** Wraps the mock monitor so each registration is recorded with its parent and raw (wire-format) inputs. */
function recordRegistrations(
    monitor: MockMonitor, resources: RenderedResource[], onStackOutputs: (outputs: Record<string, unknown>) => void, onRefused: (error: Error) => void,
): void {
    const target = monitor as unknown as {
        registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
        readResource(req: ReadRequest, callback: Callback): Promise<void>;
        registerResourceOutputs(req: OutputsRequest, callback: Callback): void;
    };
    const record = (req: RegisterRequest | ReadRequest, urn: string, custom: boolean, inputs: Struct, read: boolean) => {
        const provider = req.getProvider();
        const aliases = "getAliasurnsList" in req && req.getAliasurnsList ? req.getAliasurnsList() : [];
        const dependencies = "getDependenciesList" in req && req.getDependenciesList ? req.getDependenciesList() : [];
        resources.push({
            urn,
            type: req.getType(),
            name: req.getName(),
            ...(req.getParent() ? { parent: req.getParent() } : {}),
            custom,
            ...(provider ? { provider: provider.slice(0, provider.lastIndexOf("::")) } : {}),
            ...(read ? { read } : {}),
            inputs: plain(inputs?.toJavaScript() ?? {}) as Record<string, unknown>,
            ...(dependencies.length > 0 ? { dependencies } : {}),
            ...("getRetainondelete" in req && req.getRetainondelete?.() ? { retainOnDelete: true } : {}),
            ...("getIgnorechangesList" in req && req.getIgnorechangesList?.().length ? { ignoreChanges: req.getIgnorechangesList() } : {}),
            ...(aliases.length > 0 ? { aliases } : {}),
        });
    };
    const register = target.registerResource.bind(monitor);
    target.registerResource = (req, callback) => register(req, (error, response) => {
        if (error) onRefused(error);
        if (!error && response) record(req, response.getUrn(), req.getCustom(), req.getObject(), false);
        callback(error, response);
    });
    const read = target.readResource.bind(monitor);
    target.readResource = (req, callback) => read(req, (error, response) => {
        if (!error && response) record(req, response.getUrn(), true, req.getProperties(), true);
        callback(error, response);
    });
    const registerOutputs = target.registerResourceOutputs.bind(monitor);
    target.registerResourceOutputs = (req, callback) => {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) onStackOutputs(plain(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
        registerOutputs(req, callback);
    };
}

/** Wire values → plain JSON: secrets masked, resource references as their URN, unknowns kept as {@link UNKNOWN}. */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) return SECRET;
        if (record[specialSigKey] === specialResourceSig) return record.urn;
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, plain(inner)]));
    }
    return value;
}

/** Waits until every registration the program started has been answered. */
async function waitForRpcs(): Promise<void> {
    // waitForRPCs is internal to @pulumi/pulumi (exported, untyped); it is how the runtime itself waits before exiting.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}
