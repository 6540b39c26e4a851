import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig } from "../../components/config/parse";
import { renderStack, type RenderedResource, type RenderedStack } from "../../plan/render";
import { valueAt } from "../../plan/format";

/** Minimal configs per backend; tests add keys to them. */
export const BASE: Record<string, Record<string, string>> = {
    lambda: { "model-serving:backend": "lambda", "aws:region": "us-east-1" },
    eks: { "model-serving:backend": "eks", "aws:region": "us-east-1" },
    gke: { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "acme" },
    cloudrun: { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "acme" },
};

/** Renders one backend's base config plus `extra` under mocks (resolved, as after `pulumi up`). */
export function render(backend: keyof typeof BASE, extra: Record<string, string> = {}, preview = false): Promise<RenderedStack> {
    return renderStack({ stack: "test", config: { ...BASE[backend], ...extra }, preview });
}

/** Every resource of a type. */
export function all(stack: RenderedStack, type: string): RenderedResource[] {
    return stack.resources.filter((r) => r.type === type);
}

/** The only resource of a type; fails if there is not exactly one. */
export function one(stack: RenderedStack, type: string): RenderedResource {
    const found = all(stack, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
}

/** An input at a dotted path. */
export function input(resource: RenderedResource, path: string): unknown {
    return valueAt(resource.inputs, path);
}

/** Distinct resource types of a render. */
export function types(stack: RenderedStack): Set<string> {
    return new Set(stack.resources.map((r) => r.type));
}

/** The problems a config that must be refused is refused with (read as if from `source`). */
export function problemsOf(config: Record<string, string>, source = "stacks/Pulumi.test.yaml"): string[] {
    try {
        parseStackConfig(config, source);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    assert.fail("expected a ConfigError");
}
