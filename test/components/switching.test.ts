import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackConfigFile, renderStack, type RenderedStack } from "../../plan/render";

const stacksDir = path.resolve(__dirname, "../../stacks");
const REGION_KEYS = ["aws:region", "gcp:region", "gcp:project"];
const TARGETS: Record<string, Record<string, string>> = {
    lambda: { "model-serving:backend": "lambda", "aws:region": "us-east-1" },
    eks: { "model-serving:backend": "eks", "aws:region": "us-east-1" },
    cloudrun: { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "acme-ml" },
    gke: { "model-serving:backend": "gke", "gcp:region": "us-central1", "gcp:project": "acme-ml" },
};

/** A stack's config moved to another backend: only the backend key and the target cloud's region keys change. */
function moved(stackName: string, backend: string): { stack: string; config: Record<string, string> } {
    const { stack, config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stackName}.yaml`));
    const kept = Object.fromEntries(Object.entries(config).filter(([key]) => !REGION_KEYS.includes(key)));
    return { stack, config: { ...kept, ...TARGETS[backend] } };
}

/** A shipped stack with only `model-serving:backend` changed. */
function flipped(stackName: string, backend: string): { stack: string; config: Record<string, string> } {
    const { stack, config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stackName}.yaml`));
    return { stack, config: { ...config, "model-serving:backend": backend } };
}

const isKubernetes = (type: string) => type.startsWith("kubernetes:") || type === "pulumi:providers:kubernetes";
/** What each backend must render, and what of the other backends it must not (no leftovers). */
const EXPECTED: Record<string, { has: string[]; none: (type: string) => boolean }> = {
    eks: { has: ["aws:eks/cluster:Cluster", "kubernetes:apps/v1:Deployment"], none: (t) => t.startsWith("aws:lambda/") || t.startsWith("aws:apigatewayv2/") },
    lambda: { has: ["aws:lambda/function:Function"], none: (t) => isKubernetes(t) || t.startsWith("aws:eks/") },
    hybridOnAws: { has: ["aws:eks/cluster:Cluster", "kubernetes:apps/v1:Deployment", "aws:lambda/function:Function"], none: (t) => t.startsWith("aws:apigatewayv2/") },
    gke: { has: ["gcp:container/cluster:Cluster", "kubernetes:apps/v1:Deployment"], none: (t) => t.startsWith("gcp:cloudrunv2/") },
    cloudrun: { has: ["gcp:cloudrunv2/service:Service"], none: (t) => isKubernetes(t) || t.startsWith("gcp:container/") },
    hybridOnGcp: { has: ["gcp:container/cluster:Cluster", "kubernetes:apps/v1:Deployment", "gcp:cloudrunv2/service:Service"], none: () => false },
};

function assertRendersAs(rendered: RenderedStack, expected: keyof typeof EXPECTED): void {
    const types = new Set(rendered.resources.map((r) => r.type));
    for (const type of EXPECTED[expected].has) assert.ok(types.has(type), `${rendered.stack} as ${expected} renders ${type}`);
    assert.deepEqual([...types].filter(EXPECTED[expected].none), [], `${rendered.stack} as ${expected} leaves nothing of another backend`);
    const otherCloud = expected === "eks" || expected === "lambda" || expected === "hybridOnAws" ? "gcp:" : "aws:";
    assert.deepEqual([...types].filter((t) => t.startsWith(otherCloud)), [], `${rendered.stack} as ${expected} stays on one cloud`);
}

const shipped = fs.readdirSync(stacksDir).map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1]).filter((name): name is string => name !== undefined);

describe("switching a shipped stack's backend by one key (model-serving:backend)", () => {
    for (const stackName of shipped) {
        const { config } = readStackConfigFile(path.join(stacksDir, `Pulumi.${stackName}.yaml`));
        const onAws = "aws:region" in config;
        for (const backend of onAws ? ["eks", "lambda", "hybrid"] : ["gke", "cloudrun", "hybrid"]) {
            if (config["model-serving:backend"] === backend) continue;
            it(`${stackName}: ${config["model-serving:backend"]} → ${backend} renders with no leftovers`, async function () {
                this.timeout(120000);
                const rendered = await renderStack(flipped(stackName, backend));
                assert.equal(rendered.outputs.backend, backend);
                assertRendersAs(rendered, backend === "hybrid" ? (onAws ? "hybridOnAws" : "hybridOnGcp") : backend);
                assert.ok(rendered.warnings.filter((w) => w.includes("does not use")).length <= 1, "unused keys are one warning");
            });
        }
    }

    it("prod-aws → lambda warns once, naming every Kubernetes key it keeps but does not use", async function () {
        this.timeout(120000);
        const rendered = await renderStack(flipped("prod-aws", "lambda"));
        const unused = rendered.warnings.filter((w) => w.includes("does not use"));
        assert.equal(unused.length, 1);
        for (const name of ["nodeInstanceType", "nodeMin", "nodeMax", "installMetricsAdapter"]) assert.match(unused[0], new RegExp(`model-serving:${name} `));
        assert.match(unused[0], /^stacks\/Pulumi\.prod-aws\.yaml: backend lambda does not use /);
    });

    it("prod-gcp → cloudrun warns once, naming gkeMode, nodeMachineType and the node counts", async function () {
        this.timeout(120000);
        const rendered = await renderStack(flipped("prod-gcp", "cloudrun"));
        const [unused, ...more] = rendered.warnings.filter((w) => w.includes("does not use"));
        assert.equal(more.length, 0);
        for (const name of ["gkeMode", "nodeMachineType", "nodeMin", "nodeMax"]) assert.match(unused, new RegExp(`model-serving:${name} `));
    });
});

/** The `pulumi config set/rm` lines of the first bash block under `heading` in a Markdown file, applied to a config. */
function applyConfigCommands(markdownFile: string, heading: string, config: Record<string, string>): Record<string, string> {
    const text = fs.readFileSync(path.resolve(__dirname, "../..", markdownFile), "utf8");
    const section = text.slice(text.indexOf(`\n${heading}\n`));
    const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const result = { ...config };
    const commands = block.split("\n").flatMap((line) => line.replace(/#.*$/, "").split("&&")).map((c) => c.trim().split(/\s+/));
    let applied = 0;
    for (const words of commands) {
        if (words[0] !== "pulumi" || words[1] !== "config") continue;
        const [verb, key, value] = words.slice(2).filter((w) => !w.startsWith("--"));
        if (verb === "set") result[key.includes(":") ? key : `model-serving:${key}`] = value;
        else if (verb === "rm") delete result[key];
        applied++;
    }
    assert.ok(applied >= 2, `${markdownFile} ${heading} has the pulumi config commands`);
    return result;
}

describe("the documented switch example (dev: lambda → cloudrun)", () => {
    for (const [file, heading] of [["README.md", "## Switching backends"], ["docs/deploying.md", "## Switching a backend"]]) {
        it(`${file}: renders Cloud Run and nothing of AWS`, async function () {
            this.timeout(120000);
            const { stack, config } = readStackConfigFile(path.join(stacksDir, "Pulumi.dev.yaml"));
            const rendered = await renderStack({ stack, config: applyConfigCommands(file, heading, config) });
            assertRendersAs(rendered, "cloudrun");
        });
    }
});

describe("moving a service between clouds is the backend key plus the provider's region keys", () => {
    for (const backend of ["eks", "gke", "cloudrun"]) {
        it(`moves dev from lambda to ${backend}`, async function () {
            this.timeout(120000);
            const rendered = await renderStack(moved("dev", backend));
            assert.equal(rendered.outputs.backend, backend);
            assert.equal(rendered.outputs.modelVersion, "2");
        });
    }

    it("moves prod-aws from eks to gke keeping its sizing, scaling and metrics adapter", async function () {
        this.timeout(120000);
        const rendered = await renderStack(moved("prod-aws", "gke"));
        const hpa = rendered.resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
        assert.deepEqual([(hpa.inputs.spec as { minReplicas: number }).minReplicas, (hpa.inputs.spec as { maxReplicas: number }).maxReplicas], [3, 20]);
        assert.ok(rendered.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release"));
        assertRendersAs(rendered, "gke");
        assert.match(rendered.warnings.join("\n"), /backend gke does not use model-serving:nodeInstanceType "c6i.2xlarge" \(used by eks\)/);
    });
});
