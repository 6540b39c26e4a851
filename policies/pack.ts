import { EnforcementLevel, Policies } from "@pulumi/policy";
import packageJson from "./package.json";
import { withStrictConfig } from "./lib/config-keys";
import { previewUnknowns } from "./lib/preview";
import { k8sNodeCapacity, k8sNodeFit } from "./limits/capacity";
import { cloudRunLimits } from "./limits/cloud-run";
import { k8sContainerResources } from "./limits/containers";
import { k8sHpaBounds } from "./limits/hpa";
import { lambdaLimits } from "./limits/lambda";
import { nodePoolBounds } from "./limits/nodes";
import { k8sReplicaBounds } from "./limits/replicas";
import { scheduledCapacityBounds } from "./limits/schedule";
import { dataResidency, replicationResidency } from "./locality/policies";
import { scheduleResidency } from "./locality/schedule";
import { alarmsPresent, canaryShare } from "./rollout/canary";
import { bucketEncrypted, bucketPrivate } from "./secure-defaults/buckets";
import { containerSecurityContext } from "./secure-defaults/containers";
import { eksEndpointAccess, eksSecretsEncryption } from "./secure-defaults/eks";
import { apiRouteAuth, cloudRunPublicInvoker, k8sServiceType, lambdaPermissionScope, lambdaUrlAuth } from "./secure-defaults/exposure";
import { k8sCapabilities, k8sHostFilesystem, k8sHostNamespaces } from "./secure-defaults/hardening";
import { plainEnvSecrets } from "./secure-defaults/secrets";
import { ecrRepositoryHardening } from "./supply-chain/ecr";
import { allowedRegistries, imagePinned } from "./supply-chain/images";

/**
 * The pack's contents, importable without starting the analyzer: index.ts hands them to PolicyPack (which
 * serves gRPC), the offline checker and the tests run them directly.
 */
export const packName = "model-serving";
/** The version the analyzer reports: PolicyPack reads it from package.json too. */
export const packVersion: string = packageJson.version;
export const packEnforcementLevel: EnforcementLevel = "mandatory";
export const packDescription = "Resource limits, cost caps, data locality, supply chain and secure defaults for every resource the ModelService creates on AWS and GCP.";

/** Every policy in evaluation order; each refuses config keys its schema does not declare. */
export const policies: Policies = [
    // limits and cost caps
    k8sContainerResources,
    k8sHpaBounds,
    k8sReplicaBounds,
    nodePoolBounds,
    k8sNodeFit,
    k8sNodeCapacity,
    lambdaLimits,
    cloudRunLimits,
    scheduledCapacityBounds,
    // locality
    dataResidency,
    replicationResidency,
    scheduleResidency,
    // supply chain
    imagePinned,
    allowedRegistries,
    ecrRepositoryHardening,
    // secure defaults
    containerSecurityContext,
    k8sCapabilities,
    k8sHostNamespaces,
    k8sHostFilesystem,
    plainEnvSecrets,
    bucketPrivate,
    bucketEncrypted,
    lambdaUrlAuth,
    lambdaPermissionScope,
    apiRouteAuth,
    cloudRunPublicInvoker,
    k8sServiceType,
    eksEndpointAccess,
    eksSecretsEncryption,
    // rollout
    canaryShare,
    alarmsPresent,
    // Last: reports, once per resource, what the resource policies above could not check at preview.
    previewUnknowns,
].map(withStrictConfig);
