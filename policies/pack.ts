import { EnforcementLevel, Policies } from "@pulumi/policy";
import packageJson from "./package.json";
import { cloudRunLimits } from "./limits/cloud-run";
import { k8sContainerResources } from "./limits/containers";
import { k8sHpaBounds } from "./limits/hpa";
import { lambdaLimits } from "./limits/lambda";
import { scheduledCapacityBounds } from "./limits/schedule";
import { dataResidency, replicationResidency } from "./locality/policies";
import { scheduleResidency } from "./locality/schedule";
import { bucketEncrypted, bucketPrivate } from "./secure-defaults/buckets";
import { containerSecurityContext, imagePinned } from "./secure-defaults/containers";
import { cloudRunPublicInvoker, k8sServiceType, lambdaUrlAuth } from "./secure-defaults/exposure";

/**
 * The pack's contents, importable without starting the analyzer: index.ts hands them to PolicyPack (which
 * serves gRPC), the offline checker and the tests run them directly.
 */
export const packName = "model-serving";
/** The version the analyzer reports: PolicyPack reads it from package.json too. */
export const packVersion: string = packageJson.version;
export const packEnforcementLevel: EnforcementLevel = "mandatory";
export const packDescription = "Resource limits, data locality and secure defaults for every resource the ModelService creates on AWS and GCP.";

export const policies: Policies = [
    k8sContainerResources,
    k8sHpaBounds,
    lambdaLimits,
    cloudRunLimits,
    scheduledCapacityBounds,
    dataResidency,
    replicationResidency,
    scheduleResidency,
    containerSecurityContext,
    imagePinned,
    bucketPrivate,
    bucketEncrypted,
    lambdaUrlAuth,
    cloudRunPublicInvoker,
    k8sServiceType,
];
