import { strict as assert } from "node:assert";
import { httpRouteSpec } from "../../components/rollout/kubernetes";
import { prometheusRuleSpec } from "../../components/observability/prometheus";
import { DEFAULT_THRESHOLDS } from "../../components/observability/signals";
import { crdModel, loadCrdModels } from "./crd-models";

describe("custom resources against their schemas", () => {
    before(loadCrdModels);
    const validate = (type: string, data: unknown) => new (crdModel(type)!)(data).validate();

    it("accepts the HTTPRoute and PrometheusRule the program renders, and refuses broken ones", () => {
        const route = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "svc" }, spec: httpRouteSpec({ name: "public" }, "svc", 80, 10) };
        validate("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", route);
        assert.throws(() => validate("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", { ...route, spec: { rules: [{ backendRefs: [{ name: "svc", port: "eighty" }] }] } }));
        const spec = prometheusRuleSpec({ namespace: "inference", model: "m", deployments: ["svc"], thresholds: DEFAULT_THRESHOLDS, alertLabels: {} });
        const rule = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "m" }, spec };
        validate("kubernetes:monitoring.coreos.com/v1:PrometheusRule", rule);
        assert.throws(() => validate("kubernetes:monitoring.coreos.com/v1:PrometheusRule", { ...rule, spec: { groups: [{ rules: [] }] } }), /name/);
        assert.throws(() => crdModel("kubernetes:monitoring.coreos.com/v1:ServiceMonitorX"), /no schema model loaded/);
    });
});
