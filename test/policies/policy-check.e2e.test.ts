import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../plan/policy-stack";

describe("npm run policy:check", function () {
    // Each run is a fresh tsx process loading the cloud SDKs: seconds, more on a busy CI runner.
    this.timeout(300_000);
    const exec = promisify(execFile);
    const run = (args: string[]) => exec(process.execPath, [require.resolve("tsx/cli"), "plan/policy-check.ts", ...args], { cwd: ROOT })
        .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr }));

    it("exits 0 on a compliant stack and 1 with the violation printed on a wrong one", async () => {
        const [ok, wrong] = await Promise.all([
            run(["--stack", "dev"]),
            run(["--config-file", "test/policies/fixtures/Pulumi.latest-image.yaml", "--policy-config", "policies/config/staging.json"]),
        ]);
        assert.equal(ok.code, 0, ok.stdout);
        assert.match(ok.stdout, /0 mandatory/);
        assert.equal(wrong.code, 1, wrong.stdout);
        assert.match(wrong.stdout, /\[mandatory\] image-pinned .*cloudrunv2\/service:Service::property-valuation-run-service\n.*uses the mutable tag "latest"/);
    });

    it("exits 2 naming the problem when the policy config is invalid", async () => {
        const bad = path.join(ROOT, "results", "tmp", "bad-policy-config.json");
        fs.mkdirSync(path.dirname(bad), { recursive: true });
        fs.writeFileSync(bad, JSON.stringify({ "lambda-limits": { maxTimeout: "long" } }));
        const result = await run(["--stack", "dev", "--policy-config", bad]);
        assert.equal(result.code, 2);
        assert.match(result.stdout, /invalid policy config:\n\s+lambda-limits: maxTimeout must be integer/);
    });

    it("exits 2 on a typo in a policy config, naming the key, the nearest known key and the file passed", async () => {
        const typo = path.join(ROOT, "results", "tmp", "typo-policy-config.json");
        fs.mkdirSync(path.dirname(typo), { recursive: true });
        fs.writeFileSync(typo, JSON.stringify({ "data-residency": { residency: "eu", allowedRegion: ["europe-west4"] }, "image-pined": "mandatory" }));
        const result = await run(["--stack", "prod-eu", "--policy-config", typo]);
        assert.equal(result.code, 2, result.stdout);
        assert.match(result.stdout, /results\/tmp\/typo-policy-config.json: invalid policy config:/);
        assert.match(result.stdout, /"image-pined" is not a policy of this pack; did you mean "image-pinned"\?/);
        assert.match(result.stdout, /data-residency: "allowedRegion" is not a setting of data-residency; did you mean "allowedRegions"\?/);
    });

    it("names the stack file actually passed with --config-file when the program refuses it", async () => {
        const copy = path.join(ROOT, "results", "tmp", "Pulumi.renamed.yaml");
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.writeFileSync(copy, "config:\n  aws:region: us-east-1\n  model-serving:backend: lambda\n  model-serving:maxReplicas: lots\n");
        const result = await run(["--config-file", copy, "--policy-config", "policies/config/dev.json"]);
        assert.equal(result.code, 2, result.stdout);
        assert.match(result.stdout, /results\/tmp\/Pulumi.renamed.yaml/);
        assert.doesNotMatch(result.stdout, /stacks\/Pulumi.renamed.yaml/);
    });

    it("prints one finding for a cause shared by many resources", async () => {
        const moved = path.join(ROOT, "results", "tmp", "Pulumi.moved.yaml");
        fs.writeFileSync(moved, fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.prod-aws.yaml"), "utf8")
            // The program's own residency would refuse the move first; left at "any", only the pack stands in the way.
            .replace("aws:region: us-east-1", "aws:region: eu-west-1").replace("model-serving:residency: us", "model-serving:residency: any"));
        const result = await run(["--config-file", moved, "--policy-config", "policies/config/prod-aws.json"]);
        assert.equal(result.code, 1, result.stdout);
        // Every regional resource inherits the region: one line for the cause, the resources listed on the next.
        assert.match(result.stdout, /\[mandatory\] data-residency {2}\((\d+) resources, one cause\)\n {4}region "eu-west-1" is in jurisdiction eu, not us/);
        assert.equal(result.stdout.split("\n").filter((line) => line.includes("[mandatory] data-residency")).length, 1, result.stdout);
    });
});
