import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** Runs `npm run plan -- <args>` the way a reviewer would (tsx plan/cli.ts), returning exit code and output. */
function plan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "plan/cli.ts"), ...args],
            { cwd: root, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
}

describe("npm run plan", () => {
    let badFile: string;
    const runs: Record<string, Promise<{ code: number; stdout: string; stderr: string }>> = {};
    before(function () {
        this.timeout(180000);
        badFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "Pulumi.broken.yaml");
        fs.writeFileSync(badFile, "config:\n  model-serving:backend: lamda\n  aws:region: us-east-1\n");
        runs.json = plan(["--stack", "prod-eu", "--json"]);
        runs.text = plan(["--config-file", path.join(root, "stacks/Pulumi.dev.yaml")]);
        runs.bad = plan(["--config-file", badFile]);
        runs.usage = plan(["--json"]);
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

    it("exits 2 with usage when no stack is named", async () => {
        const { code, stderr } = await runs.usage;
        assert.equal(code, 2);
        assert.match(stderr, /give exactly one of --stack and --config-file/);
    });
});
