import { strict as assert } from "node:assert";
import fc from "fast-check";
import { drainTiming, hpaBehavior, lambdaMemoryMb, onnxIntraOpThreads, podDisruptionBudget } from "../../components/sizing";
import { cloudRunSizeProblems, LAMBDA, lambdaSizeProblem } from "../../policies/platform/limits";
import { cpuMillis, GiB, memoryMiB, MiB } from "../../policies/platform/quantity";

describe("sizing: one declared size, what each backend can provision", () => {
    it("gives onnxruntime one intra-op thread per whole vCPU of the replica, never fewer than one", () => {
        assert.equal(onnxIntraOpThreads("500m"), 1);
        assert.equal(onnxIntraOpThreads("1"), 1);
        assert.equal(onnxIntraOpThreads("1500m"), 1);
        assert.equal(onnxIntraOpThreads("2"), 2);
        assert.equal(onnxIntraOpThreads("4"), 4);
    });

    it("parses Kubernetes quantities and rejects malformed ones", () => {
        assert.equal(cpuMillis("500m"), 500);
        assert.equal(cpuMillis("2"), 2000);
        assert.equal(cpuMillis("1.5"), 1500);
        assert.ok(Number.isNaN(cpuMillis("two")));
        assert.equal(memoryMiB("512Mi"), 512);
        assert.equal(memoryMiB("2Gi"), 2048);
        assert.ok(Number.isNaN(memoryMiB("2GB")));
        assert.ok(Number.isNaN(cpuMillis("-1")));
        assert.ok(Number.isNaN(memoryMiB("0")));
        assert.equal(memoryMiB("1G"), 1e9 / MiB);
    });

    it("gives Lambda at least the declared memory and enough memory to get the declared CPU", () => {
        assert.equal(lambdaMemoryMb("1", "2Gi"), 2048);
        assert.equal(lambdaMemoryMb("2", "1Gi"), 2 * LAMBDA.mbPerVcpu);
        assert.equal(lambdaMemoryMb("100m", "64Mi"), 177);
        fc.assert(fc.property(fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 128, max: 10240 }), (millis, mib) => {
            const mb = lambdaMemoryMb(`${millis}m`, `${mib}Mi`);
            return mb >= mib && (mb / LAMBDA.mbPerVcpu) * 1000 >= millis;
        }));
    });

    it("rejects sizes Lambda cannot grant and Cloud Run does not offer", () => {
        const gen2 = { secondGeneration: true };
        assert.match(lambdaSizeProblem(8, 2 * GiB)!, /above its 10240 MB/);
        assert.equal(lambdaSizeProblem(2, 4 * GiB), undefined);
        assert.match(cloudRunSizeProblems(0.5, GiB, gen2)[0], /fractional, which Cloud Run allows only in the first-generation/);
        assert.match(cloudRunSizeProblems(1, 8 * GiB, gen2)[0], /outside the 128Mi to 4096Mi Cloud Run allows with cpu 1/);
        assert.match(cloudRunSizeProblems(4, GiB, gen2)[0], /2048Mi to 16384Mi/);
        assert.match(cloudRunSizeProblems(1, 256 * MiB, gen2)[0], /below the 512Mi the second-generation execution environment needs/);
        assert.deepEqual(cloudRunSizeProblems(1, 256 * MiB, { secondGeneration: false }), []);
        assert.deepEqual(cloudRunSizeProblems(2, 4 * GiB, gen2), []);
        const gen1 = { secondGeneration: false, concurrency: 1 };
        assert.deepEqual(cloudRunSizeProblems(0.5, GiB, gen1), [], "fractional cpu in gen1 with concurrency 1");
        assert.match(cloudRunSizeProblems(0.5, GiB, { ...gen1, concurrency: 8 })[0], /fractional, which needs concurrency 1/);
        assert.match(cloudRunSizeProblems(0.25, GiB, gen1)[0], /memory 1Gi needs at least 0.5 vCPU/);
        assert.match(cloudRunSizeProblems(0.5, 2 * GiB, gen1)[0], /memory 2Gi needs at least 1 vCPU/);
    });

    it("gives the service exactly the grace period that remains after the preStop sleep", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 3600 }), (timeout) => {
            const t = drainTiming(timeout);
            return t.terminationGracePeriodSeconds - t.preStopSleepSeconds === t.shutdownGraceSeconds && t.shutdownGraceSeconds >= timeout;
        }));
    });

    it("never lets a PodDisruptionBudget block draining a single replica", () => {
        assert.deepEqual(podDisruptionBudget(1), { maxUnavailable: 1 });
        assert.deepEqual(podDisruptionBudget(3), { minAvailable: 2 });
    });

    it("scales up immediately and down slowly", () => {
        const behavior = hpaBehavior(20);
        assert.equal(behavior.scaleUp.stabilizationWindowSeconds, 0);
        assert.equal(behavior.scaleDown.stabilizationWindowSeconds, 300);
        assert.deepEqual(behavior.scaleUp.policies[1], { type: "Pods", value: 5, periodSeconds: 30 });
    });
});
