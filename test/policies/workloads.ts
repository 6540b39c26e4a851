/** Hand-written Kubernetes and serverless inputs shared by the policy tests: compliant unless a test overrides a field. */

export function container(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "inference",
        image: "ghcr.io/acme/inference:1.4.2",
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
        securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
        ...overrides,
    };
}

export function deploymentProps(containers: Record<string, unknown>[] = [container()], initContainers: Record<string, unknown>[] = []) {
    return { spec: { replicas: 2, template: { spec: { containers, initContainers } } } };
}

export function cloudRunProps(overrides: { cpu?: string; memory?: string; maxInstanceCount?: number; image?: string } = {}) {
    const { cpu = "1", memory = "1Gi", maxInstanceCount = 10, image = "europe-docker.pkg.dev/acme/models/inference@sha256:" + "a".repeat(64) } = overrides;
    return {
        location: "us-central1",
        template: { containers: [{ image, resources: { limits: { cpu, memory } } }], scaling: { maxInstanceCount } },
    };
}

export function lambdaProps(overrides: Record<string, unknown> = {}) {
    return { packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference:1.4.2", memorySize: 2048, timeout: 30, reservedConcurrentExecutions: 10, ...overrides };
}
