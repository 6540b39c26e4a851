import { strict as assert } from "node:assert";
import { AAS_SCHEDULED_ACTION, CLOUD_SCHEDULER_JOB, K8S_CRONJOB, scheduledMinimumProblems } from "../../policies/limits/schedule";
import { check, messagesOf, provider, resource, UNKNOWN } from "./harness";

const bounds = { maxScheduledMinimum: 10 };
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");
const MIN_INSTANCES_URI = "https://run.googleapis.com/v2/projects/p/locations/europe-west1/services/svc?updateMask=scaling.minInstanceCount";

function schedulerJob(minInstanceCount: unknown, extra: Record<string, unknown> = {}) {
    return { region: "europe-west1", schedule: "0 18 * * 1-5", httpTarget: { uri: MIN_INSTANCES_URI, httpMethod: "PATCH", body: base64({ scaling: { minInstanceCount } }) }, ...extra };
}
function cronJob(minReplicas: string) {
    return { spec: { schedule: "0 18 * * 1-5", jobTemplate: { spec: { template: { spec: { containers: [{ name: "patch", env: [{ name: "MIN_REPLICAS", value: minReplicas }] }] } } } } } };
}

describe("policies: scheduled scaling", () => {
    it("reads the scheduled minimum from each backend's resource", () => {
        assert.deepEqual(scheduledMinimumProblems(AAS_SCHEDULED_ACTION, { scalableTargetAction: { minCapacity: 12, maxCapacity: 12 } }, bounds), [
            "scheduled minimum 12 exceeds the allowed maximum 10",
        ]);
        assert.deepEqual(scheduledMinimumProblems(CLOUD_SCHEDULER_JOB, schedulerJob(11), bounds), ["scheduled minimum 11 exceeds the allowed maximum 10"]);
        assert.deepEqual(scheduledMinimumProblems(K8S_CRONJOB, cronJob("3"), bounds), []);
    });

    it("rejects a scheduled action whose minimum exceeds its own maximum", () => {
        assert.deepEqual(scheduledMinimumProblems(AAS_SCHEDULED_ACTION, { scalableTargetAction: { minCapacity: 5, maxCapacity: 2 } }, bounds), [
            "scalableTargetAction.minCapacity 5 exceeds maxCapacity 2",
        ]);
    });

    it("ignores scheduler jobs and CronJobs that schedule something else", () => {
        assert.deepEqual(scheduledMinimumProblems(CLOUD_SCHEDULER_JOB, { httpTarget: { uri: "https://example.test/report", body: "e30=" } }, bounds), []);
        assert.deepEqual(scheduledMinimumProblems(K8S_CRONJOB, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "backup" }] } } } } } }, bounds), []);
    });

    it("reports a body that is not JSON", () => {
        assert.deepEqual(scheduledMinimumProblems(CLOUD_SCHEDULER_JOB, { httpTarget: { uri: MIN_INSTANCES_URI, body: "not base64 json" } }, bounds), [
            "httpTarget.body is not base64-encoded JSON",
        ]);
    });

    it("fails the stack when a schedule goes above the configured bound, and passes it below", async () => {
        const over = await check([resource(AAS_SCHEDULED_ACTION, "evening", { region: "us-east-1", scalableTargetAction: { minCapacity: 30, maxCapacity: 30 } })]);
        assert.deepEqual(messagesOf(over, "scheduled-capacity-bounds"), [
            'aws:appautoscaling/scheduledAction:ScheduledAction "evening": scheduled minimum 30 exceeds the allowed maximum 20. Required: scheduled minimums are whole numbers ≤ 20. ' +
                "Fix: lower the schedule's minimum (on the ModelService: scalingSchedule) and let the autoscaler add capacity on demand.",
        ]);
        const within = await check([resource(K8S_CRONJOB, "evening", cronJob("30"))], { "scheduled-capacity-bounds": { maxScheduledMinimum: 40 } });
        assert.deepEqual(messagesOf(within, "scheduled-capacity-bounds"), []);
    });

    it("keeps Cloud Scheduler jobs inside the residency, by their own region or else the provider's", async () => {
        const eu = { "schedule-residency": { residency: "eu" } };
        const inside = await check([resource(CLOUD_SCHEDULER_JOB, "evening", schedulerJob(2))], eu);
        assert.deepEqual(messagesOf(inside, "schedule-residency"), []);
        const outside = await check([resource(CLOUD_SCHEDULER_JOB, "evening", schedulerJob(2, { region: "us-central1" }))], eu);
        assert.match(messagesOf(outside, "schedule-residency")[0], /region "us-central1" is in jurisdiction us, not eu/);
        const fromProvider = await check([resource(CLOUD_SCHEDULER_JOB, "evening", schedulerJob(2, { region: undefined }), { provider: provider("gcp", { region: "us-east1" }) })], eu);
        assert.match(messagesOf(fromProvider, "schedule-residency")[0], /"us-east1" is in jurisdiction us, not eu/);
        const unknown = await check([resource(CLOUD_SCHEDULER_JOB, "evening", schedulerJob(2, { region: UNKNOWN }))], eu);
        assert.match(messagesOf(unknown, "schedule-residency")[0], /neither the job nor its provider names a known region/);
    });
});
