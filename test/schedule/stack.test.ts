import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseStackConfig } from "../../components/config/parse";
import { checkStack, policyConfigFileFor } from "../../plan/policy-stack";
import { readStackConfigFile, renderStack, type RenderedResource } from "../../plan/render";

const STACKS = path.resolve(__dirname, "..", "..", "stacks");
const SCHEDULE = JSON.stringify(["evening 6 0 18 * * 1-5", "night 2 0 23 * * *"]);

/** A stack from stacks/ with a scaling schedule added, rendered under mocks like `pulumi preview`. */
async function renderWithSchedule(stack: string, extra: Record<string, string> = {}) {
    const { config } = readStackConfigFile(path.join(STACKS, `Pulumi.${stack}.yaml`));
    const withSchedule = { ...config, "model-serving:scalingSchedule": SCHEDULE, "model-serving:scalingTimeZone": "America/New_York", ...extra };
    return renderStack({ stack, config: withSchedule });
}
const ofType = (resources: RenderedResource[], type: string) => resources.filter((r) => r.type === type);

describe("scaling schedule from stack config, rendered through the whole program", function () {
    this.timeout(120_000);

    it("on lambda (dev) adds scheduled actions and leaves provisioned concurrency to them", async () => {
        const { resources } = await renderWithSchedule("dev", { "model-serving:maxReplicas": "10" });
        const actions = ofType(resources, "aws:appautoscaling/scheduledAction:ScheduledAction");
        assert.deepEqual(actions.map((a) => a.inputs.schedule), ["cron(0 18 ? * MON-FRI *)", "cron(0 23 * * ? *)"]);
        assert.equal(actions[0].inputs.timezone, "America/New_York");
        assert.equal(ofType(resources, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").length, 0);
    });

    it("on cloudrun (staging) adds Cloud Scheduler jobs in the service's region", async () => {
        const { resources, config } = await renderWithSchedule("staging", { "model-serving:maxReplicas": "10" });
        const jobs = ofType(resources, "gcp:cloudscheduler/job:Job");
        assert.equal(jobs.length, 2);
        assert.equal(jobs[0].inputs.region, config["gcp:region"]);
        assert.equal(jobs[0].inputs.timeZone, "America/New_York");
    });

    it("on eks (prod-aws) adds one CronJob per entry and one patch-only Role", async () => {
        const { resources } = await renderWithSchedule("prod-aws");
        const cronJobs = ofType(resources, "kubernetes:batch/v1:CronJob");
        assert.deepEqual(cronJobs.map((c) => (c.inputs.spec as { schedule: string }).schedule), ["0 18 * * 1-5", "0 23 * * *"]);
        assert.equal(ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:Role").length, 1);
    });

    for (const [stack, maxReplicas] of [["dev", "10"], ["staging", "10"], ["prod-aws", "10"]]) {
        it(`passes the stack's policy config with the schedule added (${stack})`, async () => {
            const { config } = readStackConfigFile(path.join(STACKS, `Pulumi.${stack}.yaml`));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schedule-stack-"));
            const file = path.join(dir, `Pulumi.${stack}.yaml`);
            const scheduled = { ...config, "model-serving:maxReplicas": maxReplicas, "model-serving:scalingSchedule": JSON.parse(SCHEDULE), "model-serving:scalingTimeZone": "America/New_York" };
            fs.writeFileSync(file, stringify({ config: scheduled }));
            try {
                const result = await checkStack({ configFile: file, policyConfigFile: policyConfigFileFor(stack), preview: true });
                assert.deepEqual(result.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName}: ${v.message}`), []);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it("rejects a schedule above maxReplicas, naming the key and the rule", () => {
        const { config } = readStackConfigFile(path.join(STACKS, "Pulumi.prod-aws.yaml"));
        assert.throws(
            () => parseStackConfig({ ...config, "model-serving:maxReplicas": "4", "model-serving:scalingSchedule": SCHEDULE }, "Pulumi.prod-aws.yaml"),
            /model-serving:scalingSchedule .* scalingSchedule\.entries\[0\]\.minCapacity 6 exceeds maxReplicas 4/,
        );
    });
});
