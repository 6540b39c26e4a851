/**
 * Turns a mock render of the program into what the engine would hand a policy pack: every registered resource,
 * the default providers the engine would create from stack config (mocks never register them), the provider
 * each resource uses, and the dependencies the SDK declared for each registration.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyProviderResource } from "@pulumi/policy";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { parse as parseYaml } from "yaml";
import { PolicyInputResource } from "./policy-engine";
import { RenderedStack, renderStack } from "./render";

interface Dependencies { dependencies: string[]; propertyDependencies: Record<string, string[]> }
interface RegisterRequest {
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
}
type Callback = (error: Error | null, response?: { getUrn(): string }) => void;

/**
 * Collects each registration's dependencies by URN. RenderedResource does not carry them, yet the engine gives
 * analyzers `propertyDependencies`, the only link from e.g. a BucketPublicAccessBlock to its bucket while the
 * bucket id is unknown at preview; so they are captured from the same mock-monitor calls the render records.
 */
function captureDependencies(into: Map<string, Dependencies>): () => void {
    const proto = MockMonitor.prototype as unknown as { registerResource(req: RegisterRequest, callback: Callback): Promise<void> };
    const original = proto.registerResource;
    proto.registerResource = function (this: MockMonitor, req: RegisterRequest, callback: Callback) {
        return original.call(this, req, (error, response) => {
            if (!error && response) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((urns, key) => { propertyDependencies[key] = urns.getUrnsList(); });
                into.set(response.getUrn(), { dependencies: req.getDependenciesList(), propertyDependencies });
            }
            callback(error, response);
        });
    };
    return () => { proto.registerResource = original; };
}

/** Renders a stack with dependencies recorded; `configFile` is how the program's own config errors name the file. */
export async function renderForPolicies(opts: { stack: string; config: Record<string, string>; preview: boolean; configFile?: string }): Promise<{ rendered: RenderedStack; dependencies: Map<string, Dependencies> }> {
    const dependencies = new Map<string, Dependencies>();
    const restore = captureDependencies(dependencies);
    try {
        return { rendered: await renderStack(opts), dependencies };
    } finally {
        restore();
    }
}

/** The package a resource type belongs to ("aws:s3/bucket:Bucket" → "aws"); providers are "pulumi:providers:<pkg>". */
function packageOf(type: string): string {
    return type.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : type.split(":")[0];
}

/**
 * The default provider the engine would create for a package: its inputs are the stack's `<pkg>:*` config keys
 * (so `aws:region`, `gcp:region`, `gcp:zone` end up where policies read them), values parsed as JSON when they are.
 */
export function defaultProvider(pkg: string, project: string, stack: string, config: Record<string, string>): PolicyInputResource {
    const props: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith(`${pkg}:`)) continue;
        let parsed: unknown = value;
        try { parsed = JSON.parse(value); } catch { /* a plain string */ }
        props[key.slice(pkg.length + 1)] = parsed;
    }
    const type = `pulumi:providers:${pkg}`;
    return { urn: `urn:pulumi:${stack}::${project}::${type}::default`, type, name: "default", props, dependencies: [], propertyDependencies: {} };
}

const asProvider = (r: PolicyInputResource): PolicyProviderResource => ({ type: r.type, props: r.props, urn: r.urn, name: r.name });

/** Policy inputs for every resource of a render, default providers first (the engine registers them before their first user). */
export function policyInputs(rendered: RenderedStack, dependencies: Map<string, Dependencies>): PolicyInputResource[] {
    const defaults = new Map<string, PolicyInputResource>();
    const resources: PolicyInputResource[] = rendered.resources.map((r) => ({
        urn: r.urn, type: r.type, name: r.name, props: r.inputs,
        ...(r.parent ? { parent: r.parent } : {}),
        dependencies: dependencies.get(r.urn)?.dependencies ?? [],
        propertyDependencies: dependencies.get(r.urn)?.propertyDependencies ?? {},
    }));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    rendered.resources.forEach((r, i) => {
        // Components have no provider; pulumi:* resources (providers, stack references) use the built-in one.
        if (!r.custom || r.type.startsWith("pulumi:")) return;
        const explicit = r.provider ? byUrn.get(r.provider) : undefined;
        if (explicit) {
            resources[i].provider = asProvider(explicit);
            return;
        }
        const pkg = packageOf(r.type);
        const provider = defaults.get(pkg) ?? defaultProvider(pkg, rendered.project, rendered.stack, rendered.config);
        defaults.set(pkg, provider);
        resources[i].provider = asProvider(provider);
    });
    return [...defaults.values(), ...resources];
}

/** Stack tags the service sets on every stack from Pulumi.yaml. */
export function stackTagsOf(root: string): Map<string, string> {
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; description?: string; runtime: string | { name: string } };
    const runtime = typeof project.runtime === "string" ? project.runtime : project.runtime.name;
    return new Map([["pulumi:project", project.name], ["pulumi:runtime", runtime], ["pulumi:description", project.description ?? ""]]);
}
