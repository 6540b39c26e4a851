import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
    cloudRunSizeProblem, cpuMillis, drainTiming, hpaBehavior, LAMBDA_MB_PER_VCPU, lambdaMemoryMb, lambdaSizeProblem, memoryMiB, onnxIntraOpThreads, podDisruptionBudget,
} from "../../components/sizing";

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
    });

    it("gives Lambda at least the declared memory and enough memory to get the declared CPU", () => {
        assert.equal(lambdaMemoryMb("1", "2Gi"), 2048);
        assert.equal(lambdaMemoryMb("2", "1Gi"), 2 * LAMBDA_MB_PER_VCPU);
        assert.equal(lambdaMemoryMb("100m", "64Mi"), 177);
        fc.assert(fc.property(fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 128, max: 10240 }), (millis, mib) => {
            const mb = lambdaMemoryMb(`${millis}m`, `${mib}Mi`);
            return mb >= mib && (mb / LAMBDA_MB_PER_VCPU) * 1000 >= millis;
        }));
    });

    it("rejects sizes Lambda cannot grant and Cloud Run does not offer", () => {
        assert.match(lambdaSizeProblem("8", "2Gi")!, /above its 10240 MB/);
        assert.equal(lambdaSizeProblem("2", "4Gi"), undefined);
        assert.match(cloudRunSizeProblem("500m", "1Gi")!, /whole CPUs only/);
        assert.match(cloudRunSizeProblem("1", "8Gi")!, /cpu 1 allows memory 128Mi to 4096Mi/);
        assert.match(cloudRunSizeProblem("4", "1Gi")!, /cpu 4 allows memory 2048Mi/);
        assert.equal(cloudRunSizeProblem("2", "4Gi"), undefined);
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
