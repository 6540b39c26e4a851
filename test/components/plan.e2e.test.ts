import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

const root = path.resolve(__dirname, "../..");

/** Runs `npm run plan -- <args>` the way a reviewer would (tsx plan/cli.ts), returning exit code and output. */
function plan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "plan/cli.ts"), ...args],
            { cwd: root, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
}

/** A copy of a shipped stack file in a temporary directory, with some keys changed (null removes one). */
function copyOfStack(dir: string, stack: string, copyName: string, changes: Record<string, string | null>): string {
    const text = fs.readFileSync(path.join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8");
    const document = parseYaml(text) as { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(changes)) {
        if (value === null) delete document.config[key];
        else document.config[key] = value;
    }
    const file = path.join(dir, `Pulumi.${copyName}.yaml`);
    fs.writeFileSync(file, stringifyYaml(document));
    return file;
}

describe("npm run plan", () => {
    let badFile: string;
    let copies: Record<string, string>;
    const runs: Record<string, Promise<{ code: number; stdout: string; stderr: string }>> = {};
    before(function () {
        this.timeout(180000);
        badFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "Pulumi.broken.yaml");
        fs.writeFileSync(badFile, "config:\n  model-serving:backend: lamda\n  aws:region: us-east-1\n");
        runs.json = plan(["--stack", "prod-eu", "--json"]);
        runs.text = plan(["--config-file", path.join(root, "stacks/Pulumi.dev.yaml")]);
        runs.bad = plan(["--config-file", badFile]);
        runs.usage = plan(["--json"]);
        const dir = path.dirname(badFile);
        copies = {
            tooSmall: copyOfStack(dir, "prod-aws", "small-nodes", { "model-serving:nodeInstanceType": "m6i.large", "model-serving:cpu": "2" }),
            awsOnLambda: copyOfStack(dir, "prod-aws", "on-lambda", { "model-serving:backend": "lambda" }),
            gcpOnCloudRun: copyOfStack(dir, "prod-gcp", "on-cloudrun", { "model-serving:backend": "cloudrun" }),
        };
        runs.tooSmall = plan(["--config-file", copies.tooSmall]);
        runs.awsOnLambda = plan(["--config-file", copies.awsOnLambda, "--json"]);
        runs.gcpOnCloudRun = plan(["--config-file", copies.gcpOnCloudRun]);
        runs.describe = plan(["--stack", "prod-hybrid", "--describe"]);
        return Promise.all(Object.values(runs));
    });
    after(() => fs.rmSync(path.dirname(badFile), { recursive: true, force: true }));

    it("prints one JSON array of every resource with type, name and inputs for --json", async () => {
        const { code, stdout } = await runs.json;
        assert.equal(code, 0);
        const resources = JSON.parse(stdout) as { type: string; name: string; inputs: Record<string, unknown> }[];
        assert.ok(Array.isArray(resources) && resources.length > 10);
        assert.ok(resources.every((r) => typeof r.type === "string" && typeof r.name === "string" && typeof r.inputs === "object"));
        assert.equal(resources.find((r) => r.type === "gcp:container/cluster:Cluster")?.inputs.location, "europe-west4");
    });

    it("prints the resource tree with key inputs, unknowns as known after apply, and the outputs", async () => {
        const { code, stdout } = await runs.text;
        assert.equal(code, 0);
        assert.match(stdout, /^Plan for stack dev \(project model-serving\): \d+ resources/);
        assert.match(stdout, /\n {6}\+ aws:lambda\/function:Function {2}property-valuation-lambda-function\n/);
        assert.match(stdout, /memorySize: 2048/);
        assert.match(stdout, /imageUri: \(known after apply\)/);
        assert.match(stdout, /Outputs:\n {2}backend: lambda/);
    });

    it("exits non-zero with the validation message for invalid config", async () => {
        const { code, stderr } = await runs.bad;
        assert.equal(code, 1);
        assert.ok(stderr.includes(`${path.relative(root, badFile)}: model-serving:backend "lamda" is not one of eks, gke, cloudrun, lambda`), stderr);
    });

    it("refuses a copy of prod-aws on m6i.large nodes with cpu 2, naming that file, both keys and a type that fits", async () => {
        const { code, stderr } = await runs.tooSmall;
        assert.equal(code, 1);
        assert.ok(stderr.startsWith(`${path.relative(root, copies.tooSmall)}: model-serving:cpu "2", model-serving:memory "4Gi" and model-serving:nodeInstanceType "m6i.large": one replica does not fit one node`), stderr);
        assert.match(stderr, /use model-serving:nodeInstanceType m6i\.xlarge/);
    });

    it("renders a copy of prod-aws with only backend: lambda as a Lambda function and nothing of Kubernetes, warning once about the unused keys", async () => {
        const { code, stdout, stderr } = await runs.awsOnLambda;
        assert.equal(code, 0, stderr);
        const types = (JSON.parse(stdout) as { type: string }[]).map((r) => r.type);
        assert.ok(types.includes("aws:lambda/function:Function"));
        assert.deepEqual(types.filter((t) => t.startsWith("kubernetes:") || t.startsWith("aws:eks/")), []);
        const warnings = stderr.split("\n").filter((line) => line.includes("does not use"));
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /backend lambda does not use model-serving:installMetricsAdapter "true" .*model-serving:nodeInstanceType "c6i\.2xlarge" .*model-serving:nodeMax "10"/);
    });

    it("renders a copy of prod-gcp with only backend: cloudrun, listing the unused GKE keys under Warnings", async () => {
        const { code, stdout } = await runs.gcpOnCloudRun;
        assert.equal(code, 0);
        assert.match(stdout, /\+ gcp:cloudrunv2\/service:Service/);
        assert.doesNotMatch(stdout, /\+ (kubernetes:|gcp:container\/)/);
        assert.match(stdout, /\nWarnings:\n {2}.*Pulumi\.on-cloudrun\.yaml: backend cloudrun does not use .*model-serving:gkeMode "standard"/);
    });

    it("describes a stack for CI without rendering it: backend, cloud, region, project", async () => {
        const { code, stdout } = await runs.describe;
        assert.equal(code, 0);
        assert.deepEqual(JSON.parse(stdout), { stack: "prod-hybrid", backend: "hybrid", cloud: "gcp", region: "us-central1", project: "acme-ml-prod", warnings: [] });
    });

    it("exits 2 with usage when no stack is named", async () => {
        const { code, stderr } = await runs.usage;
        assert.equal(code, 2);
        assert.match(stderr, /give exactly one of --stack and --config-file/);
    });
});
