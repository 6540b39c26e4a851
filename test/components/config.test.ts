import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS } from "../../components/config/keys";
import { parseStackConfig } from "../../components/config/parse";
import { problemsOf } from "./helpers";

const SOURCE = "stacks/Pulumi.test.yaml";
const lambda = { "model-serving:backend": "lambda", "aws:region": "us-east-1" };
const cloudrun = { "model-serving:backend": "cloudrun", "gcp:region": "us-central1", "gcp:project": "p" };
const gke = { "model-serving:backend": "gke", "gcp:region": "europe-west4", "gcp:project": "p" };

describe("stack config → validated spec", () => {
    it("fills every unset key with its declared default", () => {
        const spec = parseStackConfig(lambda, SOURCE);
        assert.equal(spec.service.name, "property-valuation");
        assert.deepEqual(spec.service.model, { name: "property-valuation", version: "1", artifact: { source: "image" } });
        assert.deepEqual(parseStackConfig({ ...lambda, "model-serving:modelPath": "/opt/models/pv" }, SOURCE).service.model.artifact, { source: "image", path: "/opt/models/pv" });
        assert.equal(spec.service.exposure, "private");
        assert.deepEqual(spec.service.scaling, { min: 1, max: 5, cpuTargetPercent: 70, queueLengthTarget: 4, concurrency: 8 });
        assert.deepEqual(spec.platform, { backend: "lambda", region: "us-east-1", architecture: "x86_64", endpoint: "function-url", logRetentionDays: 30 });
    });

    it("names the stack file, the key, the value and the allowed values for a misspelt backend", () => {
        assert.deepEqual(problemsOf({ ...lambda, "model-serving:backend": "lamda" }),
            ['stacks/Pulumi.test.yaml: model-serving:backend "lamda" is not one of eks, gke, cloudrun, lambda, hybrid']);
    });

    it("requires a backend", () => {
        assert.match(problemsOf({ "aws:region": "us-east-1" })[0], /model-serving:backend is not set; set it to one of eks, gke, cloudrun, lambda, hybrid/);
    });

    it("warns once, listing them, about keys the backend does not use, and says which backends use them", () => {
        assert.deepEqual(parseStackConfig({ ...lambda, "model-serving:concurrency": "20", "model-serving:nodeMax": "9" }, SOURCE).warnings, [
            'stacks/Pulumi.test.yaml: backend lambda does not use model-serving:concurrency "20" (used by cloudrun), model-serving:nodeMax "9" (used by eks/gke/hybrid); ignored, and kept for switching back (remove them to silence this warning)',
        ]);
        assert.match(parseStackConfig({ ...cloudrun, "model-serving:gkeMode": "standard" }, SOURCE).warnings[0], /backend cloudrun does not use model-serving:gkeMode "standard" \(used by gke\)/);
    });

    it("still refuses a value the unused key itself cannot take", () => {
        assert.deepEqual(problemsOf({ ...lambda, "model-serving:nodeMax": "lots" }), ['stacks/Pulumi.test.yaml: model-serving:nodeMax "lots" is not a whole number from 1 to 100']);
        assert.match(problemsOf({ ...cloudrun, "model-serving:gkeMode": "autopliot" })[0], /model-serving:gkeMode "autopliot" is not one of autopilot, standard/);
    });

    it("warns about cluster-creation keys when the stack uses an existing cluster", () => {
        const { warnings } = parseStackConfig({ "model-serving:backend": "eks", "aws:region": "us-east-1", "model-serving:clusterStackReference": "acme/clusters/prod", "model-serving:nodeInstanceType": "c6i.2xlarge" }, SOURCE);
        assert.match(warnings[0], /backend eks does not use model-serving:nodeInstanceType "c6i\.2xlarge" \(an existing cluster is used \(kubeconfig \/ clusterStackReference\)\)/);
    });

    it("warns about node keys on GKE Autopilot, which manages its nodes, instead of ignoring them silently", () => {
        const { warnings } = parseStackConfig({ ...gke, "model-serving:nodeMachineType": "n2-standard-8", "model-serving:nodeMin": "3" }, SOURCE);
        assert.deepEqual(warnings, ['stacks/Pulumi.test.yaml: backend gke does not use model-serving:nodeMachineType "n2-standard-8" (GKE Autopilot manages its nodes), model-serving:nodeMin "3" (GKE Autopilot manages its nodes); ignored, and kept for switching back (remove them to silence this warning)']);
        assert.deepEqual(parseStackConfig({ ...gke, "model-serving:gkeMode": "standard", "model-serving:nodeMachineType": "n2-standard-8" }, SOURCE).warnings, []);
    });

    it("accepts another backend's key when it holds the default Pulumi.yaml injects anyway", () => {
        assert.doesNotThrow(() => parseStackConfig({ ...lambda, "model-serving:concurrency": "8", "model-serving:invokers": "[]" }, SOURCE));
    });

    it("rejects unknown keys so typos do not silently fall back to defaults", () => {
        assert.match(problemsOf({ ...lambda, "model-serving:minReplica": "2" })[0], /model-serving:minReplica "2" is not a known key; known keys: backend, serviceName/);
    });

    it("rejects a region outside the declared residency and lists the regions that would do", () => {
        const [problem] = problemsOf({ ...gke, "gcp:region": "us-central1", "model-serving:residency": "eu" });
        assert.match(problem, /^stacks\/Pulumi\.test\.yaml: gcp:region "us-central1" is outside residency eu; allowed gcp regions: europe-west1, /);
        assert.ok(!problem.includes("europe-west2"), "London is not in the EU");
        assert.match(problemsOf({ ...gke, "model-serving:residency": "eu", "model-serving:allowedRegions": '["europe-west1"]' })[0],
            /gcp:region "europe-west4" is outside residency eu, regions \[europe-west1\]; allowed gcp regions: europe-west1$/);
    });

    it("requires the target cloud's region keys and rejects the other cloud's regions", () => {
        assert.match(problemsOf({ "model-serving:backend": "eks" })[0], /aws:region is not set; backend eks runs on aws and needs it/);
        assert.match(problemsOf({ ...lambda, "aws:region": "us-central1" })[0], /aws:region "us-central1" is not a aws region/);
        assert.match(problemsOf({ "model-serving:backend": "cloudrun", "gcp:region": "us-central1" })[0], /gcp:project is not set/);
    });

    it("rejects sizes and scaling the chosen backend cannot provide", () => {
        assert.match(problemsOf({ ...cloudrun, "model-serving:cpu": "500m" })[0], /model-serving:cpu "500m" and model-serving:memory "2Gi" does not fit cloudrun: cpu 0.5 is fractional, which Cloud Run allows only in the first-generation environment/);
        assert.match(problemsOf({ ...lambda, "model-serving:minReplicas": "6" })[0], /minReplicas 6 is above model-serving:maxReplicas 5/);
        assert.match(problemsOf({ ...lambda, "model-serving:maxReplicas": "lots" })[0], /maxReplicas "lots" is not a whole number from 1 to 1000/);
    });

    it("reads cpu and memory with the one quantity parser and reports every malformed value at once", () => {
        assert.deepEqual(problemsOf({ ...lambda, "model-serving:cpu": "two", "model-serving:memory": "0", "model-serving:maxReplicas": "lots" }), [
            'stacks/Pulumi.test.yaml: model-serving:cpu "two" is not a positive CPU quantity such as 500m, 1 or 2',
            'stacks/Pulumi.test.yaml: model-serving:memory "0" is not a memory quantity of at least 1Mi such as 512Mi or 2Gi',
            'stacks/Pulumi.test.yaml: model-serving:maxReplicas "lots" is not a whole number from 1 to 1000',
        ]);
        assert.equal(parseStackConfig({ ...lambda, "model-serving:cpu": "1500m", "model-serving:memory": "3G" }, SOURCE).service.memory, "3G");
    });

    it("warns, rather than fails, when a Kubernetes backend cannot scale to zero as minReplicas 0 asks", () => {
        const spec = parseStackConfig({ ...gke, "model-serving:minReplicas": "0" }, SOURCE);
        assert.deepEqual(spec.warnings, ["stacks/Pulumi.test.yaml: model-serving:minReplicas 0 asks for scale-to-zero, which a gke HPA does not offer; running at least 1 replica"]);
        assert.deepEqual(parseStackConfig(cloudrun, SOURCE).warnings, []);
    });

    it("rejects a bucket-sourced model on Lambda, which cannot mount one", () => {
        assert.match(problemsOf({ ...lambda, "model-serving:modelSource": "bucket" })[0], /modelSource "bucket" is not available on lambda/);
    });

    it("parses env entries and refuses to override the variables the component owns", () => {
        const spec = parseStackConfig({ ...lambda, "model-serving:env": '["CACHE_MAX_ENTRIES=500","GREETING=a=b"]' }, SOURCE);
        assert.deepEqual(spec.service.env, { CACHE_MAX_ENTRIES: "500", GREETING: "a=b" });
        assert.match(problemsOf({ ...lambda, "model-serving:env": '["PORT=1"]' })[0], /sets PORT, which the component sets itself/);
        assert.match(problemsOf({ ...lambda, "model-serving:env": '["SECRETS_ARN=arn:aws:secretsmanager:us-east-1:1:secret:x"]' })[0], /sets SECRETS_ARN, which the component sets itself/);
        assert.match(problemsOf({ ...lambda, "model-serving:secretEnv": '["SECRETS_ARN"]' })[0], /model-serving:secretEnv "SECRETS_ARN" is set by the component itself/);
        assert.match(problemsOf({ ...lambda, "model-serving:env": '"X=1"' })[0], /model-serving:env "\\"X=1\\"" is not a list of strings/);
    });

    it("reads an existing cluster from a stack reference and refuses two cluster sources at once", () => {
        const spec = parseStackConfig({ ...gke, "model-serving:clusterStackReference": "acme/platform/prod" }, SOURCE);
        assert.deepEqual(spec.platform.backend === "gke" && spec.platform.kubernetes.cluster, { kind: "stackReference", stack: "acme/platform/prod", outputName: "kubeconfig" });
        assert.match(problemsOf({ ...gke, "model-serving:clusterStackReference": "a/b/c", "model-serving:kubeconfig": "x" })[0], /cannot be combined with model-serving:kubeconfig/);
    });

    it("reports every problem at once", () => {
        assert.equal(problemsOf({ ...lambda, "model-serving:exposure": "open", "model-serving:logLevel": "loud", "model-serving:memory": "2GB" }).length, 3);
    });

    it("declares in Pulumi.yaml exactly the keys, types and defaults the parser knows", () => {
        const project = parseYaml(fs.readFileSync(path.resolve(__dirname, "../../Pulumi.yaml"), "utf8"));
        assert.equal(project.stackConfigDir, "stacks");
        assert.deepEqual(Object.keys(project.config).sort(), CONFIG_KEYS.map((k) => k.name).sort());
        for (const key of CONFIG_KEYS) {
            const declared = project.config[key.name];
            assert.equal(declared.type, key.type, key.name);
            assert.deepEqual(declared.default, key.default, key.name);
            assert.equal(declared.description, key.description, key.name);
        }
    });
});
