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
});
