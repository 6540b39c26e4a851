import { allowedBy, describeResidency } from "../policies/platform/regions";
import { scheduleProblems } from "./schedule/spec";
import { cloudRunSizeProblems, lambdaSizeProblem } from "../policies/platform/limits";
import { cpuMillis, memoryMiB, MiB } from "../policies/platform/quantity";
import type { Platform, ServiceSpec } from "./spec";

/**
 * Problems with ModelService args built in code rather than parsed from config (the config parser reports the
 * same rules with stack-file context). Empty when the args are deployable.
 */
export function specProblems(service: ServiceSpec, platform: Platform): string[] {
    const problems: string[] = [];
    const { scaling } = service;
    if (Number.isNaN(cpuMillis(service.cpu))) problems.push(`cpu "${service.cpu}" is not a CPU quantity such as 500m or 2`);
    if (Number.isNaN(memoryMiB(service.memory))) problems.push(`memory "${service.memory}" is not a memory quantity such as 512Mi or 2Gi`);
    if (!(Number.isInteger(scaling.min) && Number.isInteger(scaling.max) && scaling.min >= 0 && scaling.max >= 1)) {
        problems.push(`scaling min ${scaling.min} / max ${scaling.max} must be whole numbers with max at least 1`);
    }
    if (scaling.min > scaling.max) problems.push(`scaling.min ${scaling.min} is above scaling.max ${scaling.max}`);
    if (scaling.schedule) problems.push(...scheduleProblems(scaling.schedule, scaling.max));
    if (!allowedBy(service.residency, platform.region)) {
        problems.push(`region "${platform.region}" is outside residency ${describeResidency(service.residency)}`);
    }
    if (problems.length > 0) return problems;

    switch (platform.backend) {
        case "eks":
        case "gke":
            if (platform.backend === "eks" && service.model.artifact.source === "bucket" && platform.kubernetes.cluster.kind !== "new") {
                problems.push("model source bucket on eks needs the new cluster (its Pod Identity agent grants bucket read); use model source image with an existing cluster");
            }
            break;
        case "cloudrun": {
            const misfit = cloudRunSizeProblems(cpuMillis(service.cpu) / 1000, memoryMiB(service.memory) * MiB, { secondGeneration: true }).join("; ");
            if (misfit) problems.push(`cpu ${service.cpu} / memory ${service.memory}: ${misfit}`);
            break;
        }
        case "lambda": {
            const misfit = lambdaSizeProblem(cpuMillis(service.cpu) / 1000, memoryMiB(service.memory) * MiB);
            if (misfit) problems.push(`cpu ${service.cpu} / memory ${service.memory}: ${misfit}`);
            if (service.model.artifact.source === "bucket") problems.push("model source bucket is not available on lambda (Lambda cannot mount a bucket)");
            if (service.requestTimeoutSeconds > 900) problems.push(`requestTimeoutSeconds ${service.requestTimeoutSeconds} is above Lambda's 900`);
            break;
        }
        case "hybrid": {
            // The same spec runs on both sides: the baseline's rules and the overflow's limits both apply.
            problems.push(...specProblems(service, platform.baseline), ...specProblems(service, platform.overflow));
            if (platform.baseline.backend === "eks" && platform.baseline.kubernetes.cluster.kind !== "new") {
                problems.push("hybrid on eks needs the new cluster (its Pod Identity agent lets the pods invoke the Lambda overflow)");
            }
            break;
        }
    }
    return problems;
}
