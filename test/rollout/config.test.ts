import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../components/config/parse";
import { BASE, problemsOf } from "../components/helpers";

const CANARY = { "model-serving:canaryModelVersion": "2", "model-serving:canaryPercent": "10" };

describe("rollout config: canary, alarms and their targets", () => {
    it("reads a canary, and none without the keys", () => {
        assert.deepEqual(parseStackConfig({ ...BASE.lambda, ...CANARY }, "s").service.canary, { version: "2", percent: 10 });
        assert.equal(parseStackConfig(BASE.lambda, "s").service.canary, undefined);
        assert.ok(!("canary" in parseStackConfig(BASE.lambda, "s").service), "no canary key at all without a canary");
        // Pulumi.yaml's default (0) injected by the engine is no canary either.
        assert.equal(parseStackConfig({ ...BASE.lambda, "model-serving:canaryPercent": "0" }, "s").service.canary, undefined);
    });

    it("refuses a canary percent outside 1-99, naming the key, the value and the range", () => {
        for (const percent of ["0", "100", "ten", "-5"]) {
            const problems = problemsOf({ ...BASE.cloudrun, ...CANARY, "model-serving:canaryPercent": percent });
            assert.deepEqual(problems, [`stacks/Pulumi.test.yaml: model-serving:canaryPercent "${percent}" is not a whole number from 1 to 99`]);
        }
    });

    it("refuses a percent without a version, the stable version as canary, and a canary with modelPath", () => {
        assert.match(problemsOf({ ...BASE.lambda, "model-serving:canaryPercent": "10" })[0], /canaryPercent "10" needs model-serving:canaryModelVersion/);
        assert.match(problemsOf({ ...BASE.lambda, ...CANARY, "model-serving:modelVersion": "2" })[0], /canaryModelVersion "2" is model-serving:modelVersion itself/);
        assert.match(problemsOf({ ...BASE.eks, ...CANARY, "model-serving:modelPath": "/opt/model" })[0], /canaryModelVersion "2" cannot be combined with model-serving:modelPath/);
        assert.match(problemsOf({ ...BASE.eks, "model-serving:canaryModelVersion": "v 2", "model-serving:canaryPercent": "5" })[0], /canaryModelVersion "v 2" is not a version/);
    });

    it("reads alarm thresholds and targets, refusing malformed ones", () => {
        const spec = parseStackConfig({
            ...BASE.eks, "model-serving:latencySloMs": "400", "model-serving:alarmErrorPercent": "2",
            "model-serving:alertLabels": '["team=ml"]', "model-serving:prometheusOperator": "true",
        }, "s").service.observability;
        assert.deepEqual(spec, {
            alarms: true, thresholds: { latencySloMs: 400, errorPercent: 2 }, topicArn: undefined, notificationChannels: [],
            alertLabels: { team: "ml" }, prometheusOperator: { labels: { release: "kube-prometheus-stack" } },
        });
        assert.match(problemsOf({ ...BASE.lambda, "model-serving:alarmTopicArn": "my-topic" })[0], /alarmTopicArn "my-topic" is not an SNS topic ARN/);
        assert.match(problemsOf({ ...BASE.cloudrun, "model-serving:alarmNotificationChannels": '["email:me"]' })[0], /alarmNotificationChannels "email:me" is not a notification channel name/);
        assert.match(problemsOf({ ...BASE.gke, "model-serving:alertLabels": '["team"]' })[0], /alertLabels "team" is not a Kubernetes label name=value/);
        assert.match(problemsOf({ ...BASE.gke, "model-serving:alarmErrorPercent": "80" })[0], /alarmErrorPercent "80" is not a whole number from 1 to 50/);
    });

    it("reads a Gateway, and warns when pods cannot carry the percent without one", () => {
        const withGateway = parseStackConfig({ ...BASE.gke, ...CANARY, "model-serving:gatewayName": "infra/public" }, "s");
        assert.deepEqual(withGateway.platform.backend === "gke" && withGateway.platform.kubernetes.gateway, { namespace: "infra", name: "public" });
        assert.ok(!withGateway.warnings.some((w) => w.includes("splits pods")));
        assert.match(problemsOf({ ...BASE.gke, "model-serving:gatewayName": "Infra/Public" })[0], /gatewayName "Infra\/Public" is not a Gateway name/);
        const podSplit = parseStackConfig({ ...BASE.eks, ...CANARY, "model-serving:minReplicas": "3", "model-serving:maxReplicas": "20" }, "s");
        assert.ok(podSplit.warnings.some((w) => /canaryPercent 10 on eks without a Gateway splits pods, not requests: 1 canary of 3 pods at the minimum \(33\.3%\), 10% at the maximum/.test(w)), podSplit.warnings.join("\n"));
    });
});
