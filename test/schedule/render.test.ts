import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { ScheduledMinInstances } from "../../components/schedule/cloudrun";
import { ScheduledHpaMinimum } from "../../components/schedule/kubernetes";
import { ScheduledProvisionedConcurrency } from "../../components/schedule/lambda";
import type { ScalingSchedule } from "../../components/schedule/spec";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** A service image as the stack pushes it. */
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/property-valuation-test@sha256:${"ab".repeat(32)}`;

const SCHEDULE: ScalingSchedule = {
    timeZone: "America/New_York",
    entries: [
        { name: "evening", cron: "0 18 * * 1-5", minCapacity: 6 },
        { name: "night", cron: "0 23 * * *", minCapacity: 2 },
    ],
};

/** Runs `build` under Pulumi mocks and returns every resource it registered, with resolved inputs. */
async function render(build: () => void): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                const email = args.type === "gcp:serviceaccount/account:Account" ? { email: `${args.inputs.accountId}@proj.iam.gserviceaccount.com` } : {};
                return { id: `${args.name}-id`, state: { ...args.inputs, ...email } };
            },
            call: (args) => args.inputs,
        },
        "model-serving",
        "schedule-test",
        false,
    );
    build();
    // waitForRPCs is internal to @pulumi/pulumi (exported, untyped); plan/render.ts waits the same way.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return registered;
}

const ofType = (all: Registered[], type: string) => all.filter((r) => r.type === type);
const at = (value: unknown, ...path: (string | number)[]): unknown =>
    path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);

describe("scheduled scaling rendered per backend (Pulumi mocks)", () => {
    it("renders one CronJob per entry on Kubernetes, allowed only to patch that one HPA", async () => {
        const all = await render(() => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            new ScheduledHpaMinimum("svc-schedule", { namespace: "inference", hpaName: "property-valuation", schedule: SCHEDULE, labels: { app: "property-valuation" }, provider, image: IMAGE });
        });
        const [role] = ofType(all, "kubernetes:rbac.authorization.k8s.io/v1:Role");
        assert.deepEqual(role.inputs.rules, [
            { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], resourceNames: ["property-valuation"], verbs: ["patch"] },
        ]);
        const [binding] = ofType(all, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "property-valuation-scheduler", namespace: "inference" }]);
        assert.equal(ofType(all, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").length, 0);

        const jobs = ofType(all, "kubernetes:batch/v1:CronJob");
        assert.deepEqual(jobs.map((j) => at(j.inputs, "metadata", "name")), ["property-valuation-min-evening", "property-valuation-min-night"]);
        const evening = jobs[0].inputs;
        assert.equal(at(evening, "spec", "schedule"), "0 18 * * 1-5");
        assert.equal(at(evening, "spec", "timeZone"), "America/New_York");
        const pod = at(evening, "spec", "jobTemplate", "spec", "template", "spec");
        assert.equal(at(pod, "serviceAccountName"), "property-valuation-scheduler");
        assert.equal(at(pod, "containers", 0, "image"), IMAGE, "the service's own image, by digest: nothing from another registry");
        assert.deepEqual((at(pod, "containers", 0, "command") as string[]).slice(0, 2), ["node", "-e"]);
        const script = String(at(pod, "containers", 0, "command", 2));
        assert.match(script, /method: "PATCH"/);
        assert.match(script, /body: "\{\\"spec\\":\{\\"minReplicas\\":6\}\}"/);
        assert.match(script, /https:\/\/kubernetes\.default\.svc\/apis\/autoscaling\/v2\/namespaces\/inference\/horizontalpodautoscalers\/property-valuation"/);
        assert.equal(at(pod, "containers", 0, "securityContext", "readOnlyRootFilesystem"), true);
        assert.equal(at(pod, "securityContext", "runAsNonRoot"), true);
    });

    it("renders Application Auto Scaling scheduled actions on the Lambda alias's provisioned concurrency", async () => {
        const all = await render(() => {
            new ScheduledProvisionedConcurrency("svc-schedule", { functionName: "property-valuation", aliasName: "live", schedule: SCHEDULE, region: "us-east-1" });
        });
        const [target] = ofType(all, "aws:appautoscaling/target:Target");
        assert.equal(target.inputs.resourceId, "function:property-valuation:live");
        assert.equal(target.inputs.scalableDimension, "lambda:function:ProvisionedConcurrency");
        assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [2, 6]);
        const actions = ofType(all, "aws:appautoscaling/scheduledAction:ScheduledAction");
        assert.deepEqual(actions.map((a) => a.inputs.schedule), ["cron(0 18 ? * MON-FRI *)", "cron(0 23 * * ? *)"]);
        assert.equal(actions[0].inputs.timezone, "America/New_York");
        assert.deepEqual(actions[0].inputs.scalableTargetAction, { minCapacity: 6, maxCapacity: 6 });
        assert.equal(actions[1].inputs.region, "us-east-1");
    });

    it("renders Cloud Scheduler jobs that set the Cloud Run service's min instances, with service-scoped IAM", async () => {
        const all = await render(() => {
            new ScheduledMinInstances("svc-schedule", {
                project: "proj", region: "europe-west1", serviceName: "property-valuation",
                runtimeServiceAccountEmail: "runtime@proj.iam.gserviceaccount.com", schedule: SCHEDULE, accountPrefix: "property-valuation", stack: "test",
            });
        });
        const [grant] = ofType(all, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
        assert.deepEqual([grant.inputs.name, grant.inputs.role], ["property-valuation", "roles/run.developer"]);
        assert.equal(ofType(all, "gcp:projects/iAMMember:IAMMember").length, 0, "nothing is granted project-wide");
        const jobs = ofType(all, "gcp:cloudscheduler/job:Job");
        assert.equal(jobs.length, 2);
        const evening = jobs[0].inputs;
        assert.deepEqual([evening.region, evening.schedule, evening.timeZone], ["europe-west1", "0 18 * * 1-5", "America/New_York"]);
        assert.equal(at(evening, "httpTarget", "httpMethod"), "PATCH");
        assert.equal(
            at(evening, "httpTarget", "uri"),
            "https://run.googleapis.com/v2/projects/proj/locations/europe-west1/services/property-valuation?updateMask=scaling.minInstanceCount",
        );
        const body = Buffer.from(String(at(evening, "httpTarget", "body")), "base64").toString();
        assert.deepEqual(JSON.parse(body), { scaling: { minInstanceCount: 6 } });
        assert.equal(at(evening, "httpTarget", "oauthToken", "serviceAccountEmail"), "property-valuation-sched-9f86@proj.iam.gserviceaccount.com", "the account id carries a hash of the stack");
    });
});
