import { strict as assert } from "node:assert";
import type { IContainer, IPodSpec } from "kubernetes-models/v1";
import { adapterPrometheus } from "../../components/backends/kubernetes-objects";
import { all, input, one, render } from "./helpers";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

describe("kubernetes workload (on eks and gke)", () => {
    for (const backend of ["eks", "gke"] as const) {
        it(`declares namespace, service account, deployment, service, HPA, PDB and network policy on ${backend}, all through the cluster's provider`, async () => {
            const stack = await render(backend);
            // The workload's objects (EKS clusters also get the Cluster Autoscaler release, tested with the cluster).
            const kube = stack.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release");
            assert.deepEqual(kube.map((r) => r.type).sort(), [
                DEPLOYMENT, HPA, "kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:Service", "kubernetes:core/v1:ServiceAccount",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:policy/v1:PodDisruptionBudget",
            ]);
            const provider = one(stack, "pulumi:providers:kubernetes");
            assert.ok(kube.every((r) => r.provider === provider.urn), "every Kubernetes object targets the stack's cluster");
        });
    }

    it("probes /health for liveness and /ready for readiness and startup, with requests and limits", async () => {
        const container = input(one(await render("eks", { "model-serving:cpu": "1500m", "model-serving:memory": "3Gi" }), DEPLOYMENT), "spec.template.spec.containers.0") as IContainer;
        assert.equal(container.livenessProbe!.httpGet!.path, "/health");
        assert.equal(container.readinessProbe!.httpGet!.path, "/ready");
        assert.equal(container.startupProbe!.httpGet!.path, "/ready");
        assert.ok(container.startupProbe!.periodSeconds! * container.startupProbe!.failureThreshold! >= 120, "model load gets minutes, not seconds");
        assert.deepEqual(container.resources, { requests: { cpu: "1500m", memory: "3Gi" }, limits: { cpu: "1500m", memory: "3Gi" } });
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    });

    it("runs non-root with a read-only root filesystem and no capabilities", async () => {
        const pod = input(one(await render("gke"), DEPLOYMENT), "spec.template.spec") as IPodSpec;
        assert.equal(pod.securityContext!.runAsNonRoot, true);
        assert.equal(pod.automountServiceAccountToken, false);
        const security = pod.containers[0].securityContext;
        assert.deepEqual(security, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    });

    it("drains: preStop sleep, then SHUTDOWN_GRACE_SECONDS is what remains of terminationGracePeriodSeconds", async () => {
        const pod = input(one(await render("eks", { "model-serving:requestTimeoutSeconds": "20" }), DEPLOYMENT), "spec.template.spec") as IPodSpec;
        const sleep = pod.containers[0].lifecycle!.preStop!.sleep!.seconds;
        const env = Object.fromEntries(pod.containers[0].env!.map((e) => [e.name, e.value]));
        assert.equal(Number(env.SHUTDOWN_GRACE_SECONDS), pod.terminationGracePeriodSeconds! - sleep);
        assert.equal(env.SHUTDOWN_GRACE_SECONDS, "20");
        assert.equal(env.PORT, "8080");
    });

    it("rolls out without losing capacity and spreads pods across zones and nodes", async () => {
        const deployment = one(await render("eks"), DEPLOYMENT);
        assert.deepEqual(input(deployment, "spec.strategy"), { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        assert.equal(input(deployment, "spec.replicas"), undefined, "the HPA owns the replica count");
        const spread = input(deployment, "spec.template.spec.topologySpreadConstraints") as { topologyKey: string }[];
        assert.deepEqual(spread.map((s) => s.topologyKey), ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
        assert.deepEqual(input(deployment, "spec.template.metadata.annotations"), { "prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics" });
    });

    it("autoscales on CPU and on the inference_queue_length Pods metric with explicit behaviour", async () => {
        const hpa = one(await render("gke", { "model-serving:minReplicas": "2", "model-serving:maxReplicas": "12", "model-serving:cpuTargetPercent": "60", "model-serving:queueLengthTarget": "3" }), HPA);
        assert.equal(input(hpa, "spec.minReplicas"), 2);
        assert.equal(input(hpa, "spec.maxReplicas"), 12);
        assert.deepEqual(input(hpa, "spec.metrics"), [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } },
            { type: "Pods", pods: { metric: { name: "inference_queue_length" }, target: { type: "AverageValue", averageValue: "3" } } },
        ]);
        assert.equal(input(hpa, "spec.behavior.scaleDown.stabilizationWindowSeconds"), 300);
        assert.deepEqual(input(hpa, "spec.scaleTargetRef"), { apiVersion: "apps/v1", kind: "Deployment", name: "property-valuation" });
    });

    it("exposes a ClusterIP service by default and a LoadBalancer when public, with the network policy opened to match", async () => {
        const privateStack = await render("eks");
        assert.equal(input(one(privateStack, "kubernetes:core/v1:Service"), "spec.type"), "ClusterIP");
        assert.equal(privateStack.outputs.url, "http://property-valuation.inference.svc.cluster.local");
        const from = input(one(privateStack, "kubernetes:networking.k8s.io/v1:NetworkPolicy"), "spec.ingress.0.from") as unknown[];
        assert.ok(!JSON.stringify(from).includes("0.0.0.0/0"));
        const publicStack = await render("eks", { "model-serving:exposure": "public" });
        assert.equal(input(one(publicStack, "kubernetes:core/v1:Service"), "spec.type"), "LoadBalancer");
        assert.match(JSON.stringify(input(one(publicStack, "kubernetes:networking.k8s.io/v1:NetworkPolicy"), "spec.ingress")), /0\.0\.0\.0\/0/);
    });

    it("keeps one pod during node drains once there are two or more", async () => {
        assert.deepEqual(input(one(await render("eks", { "model-serving:minReplicas": "4" }), "kubernetes:policy/v1:PodDisruptionBudget"), "spec.minAvailable"), 3);
        assert.deepEqual(input(one(await render("eks"), "kubernetes:policy/v1:PodDisruptionBudget"), "spec.maxUnavailable"), 1);
    });

    it("installs prometheus-adapter with the queue-length rule, and a Prometheus for it to query, only when asked", async () => {
        assert.equal(all(await render("gke"), "kubernetes:helm.sh/v3:Release").length, 0);
        const releases = all(await render("gke", { "model-serving:installMetricsAdapter": "true" }), "kubernetes:helm.sh/v3:Release");
        const release = releases.find((r) => input(r, "chart") === "prometheus-adapter")!;
        const prometheus = releases.find((r) => input(r, "chart") === "prometheus")!;
        assert.equal(input(release, "name"), "prometheus-adapter-test", "release names carry the stack");
        assert.equal(input(release, "values.prometheus.url"), `http://${String(input(prometheus, "name"))}-server.monitoring.svc`, "the adapter queries the Prometheus installed with it");
        assert.equal(input(prometheus, "namespace"), "monitoring");
        assert.equal(input(release, "repositoryOpts.repo"), "https://prometheus-community.github.io/helm-charts");
        assert.match(String(input(release, "values.rules.custom.0.seriesQuery")), /^inference_queue_length\{/);
    });

    it("points the adapter at a named Prometheus, with the port the chart wants apart from the URL, and installs none", async () => {
        const releases = all(await render("gke", {
            "model-serving:installMetricsAdapter": "true", "model-serving:installPrometheus": "false",
            "model-serving:prometheusUrl": "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
        }), "kubernetes:helm.sh/v3:Release");
        assert.deepEqual(releases.map((r) => input(r, "chart")), ["prometheus-adapter"]);
        assert.deepEqual(input(releases[0], "values.prometheus"), { url: "http://kube-prometheus-stack-prometheus.monitoring.svc", port: 9090 });
        assert.deepEqual(adapterPrometheus("https://prometheus.example.com"), { url: "https://prometheus.example.com", port: 443 });
    });

    it("syncs a bucket-sourced model into the pod with an init container before the server starts", async () => {
        const pod = input(one(await render("eks", { "model-serving:modelSource": "bucket" }), DEPLOYMENT), "spec.template.spec") as IPodSpec;
        const init = pod.initContainers![0];
        assert.match(init.command!.join(" "), /aws s3 sync/);
        const initEnv = Object.fromEntries(init.env!.map((e) => [e.name, e.value]));
        assert.match(String(initEnv.MODEL_SOURCE), /^s3:\/\/property-valuation-models-[0-9a-f]+\/property-valuation\/1\/$/);
        const serverEnv = Object.fromEntries(pod.containers[0].env!.map((e) => [e.name, e.value]));
        assert.equal(serverEnv.MODEL_DIR, initEnv.MODEL_DIR);
        assert.deepEqual(pod.containers[0].volumeMounts!.find((m) => m.name === "models"), { name: "models", mountPath: "/models", readOnly: true });
    });
});
