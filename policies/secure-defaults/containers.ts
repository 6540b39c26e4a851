import { ResourceValidationPolicy } from "@pulumi/policy";
import { forTypes, describe } from "../lib/policy";
import { arrayAt, objectAt } from "../lib/props";
import { CLOUD_RUN_SERVICE, K8S_WORKLOAD_TYPES, LAMBDA_FUNCTION } from "../lib/types";
import { containersOf, podSpecOf } from "../lib/workloads";

/**
 * What is wrong with a container's security context. runAsNonRoot and runAsUser may come from the pod's
 * securityContext (the container's own value wins, as in Kubernetes); the other two are container-only.
 */
export function securityContextProblems(container: unknown, pod: unknown, requireReadOnlyRootFilesystem: boolean): string[] {
    const own = objectAt(objectAt(container)?.securityContext) ?? {};
    const podLevel = objectAt(objectAt(pod)?.securityContext) ?? {};
    const runAsNonRoot = own.runAsNonRoot ?? podLevel.runAsNonRoot;
    const runAsUser = own.runAsUser ?? podLevel.runAsUser;
    const problems: string[] = [];
    if (runAsNonRoot !== true) problems.push("securityContext.runAsNonRoot is not true");
    if (runAsUser === 0) problems.push("securityContext.runAsUser is 0 (root)");
    if (own.privileged === true) problems.push("securityContext.privileged is true");
    if (own.allowPrivilegeEscalation !== false) problems.push("securityContext.allowPrivilegeEscalation is not false");
    if (requireReadOnlyRootFilesystem && own.readOnlyRootFilesystem !== true) problems.push("securityContext.readOnlyRootFilesystem is not true");
    return problems;
}

export const containerSecurityContext: ResourceValidationPolicy = {
    name: "container-security-context",
    description: "Kubernetes containers run as non-root, without privilege escalation, with a read-only root filesystem.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireReadOnlyRootFilesystem: { type: "boolean", default: true, description: "Require readOnlyRootFilesystem: true (mount an emptyDir for scratch space)." },
        },
    },
    validateResource: forTypes(K8S_WORKLOAD_TYPES, (args, reportViolation) => {
        const { requireReadOnlyRootFilesystem } = args.getConfig<{ requireReadOnlyRootFilesystem: boolean }>();
        const pod = podSpecOf(args.type, args.props);
        for (const container of containersOf(pod)) {
            const problems = securityContextProblems(container.spec, pod, requireReadOnlyRootFilesystem);
            if (problems.length > 0) {
                reportViolation(`${describe(args)} ${container.kind} "${container.name}": ${problems.join("; ")}. Required: runAsNonRoot true, ` +
                    `allowPrivilegeEscalation false${requireReadOnlyRootFilesystem ? ", readOnlyRootFilesystem true" : ""}, not privileged.`);
            }
        }
    }),
};

/**
 * Why an image reference is not pinned, or undefined when it is: a digest always pins; otherwise the tag
 * (after the last ":" following the last "/", so registry ports are not tags) must be present and not forbidden.
 */
export function imagePinProblem(image: string, forbiddenTags: string[], requireDigest: boolean): string | undefined {
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
    if (requireDigest) return `image "${image}" is not pinned by digest (@sha256:…)`;
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) return `image "${image}" has no tag, so it resolves to :latest`;
    const tag = lastSegment.slice(colon + 1);
    if (forbiddenTags.includes(tag)) return `image "${image}" uses the mutable tag "${tag}"`;
    return undefined;
}

interface ImagePinConfig { forbiddenTags: string[]; requireDigest: boolean }

/** Every image a workload runs, with where it is declared. */
function imagesOf(type: string, props: Record<string, unknown>): { where: string; image: unknown }[] {
    if (type === LAMBDA_FUNCTION) return props.packageType === "Image" || props.imageUri !== undefined ? [{ where: "imageUri", image: props.imageUri }] : [];
    if (type === CLOUD_RUN_SERVICE) {
        return arrayAt(objectAt(props.template)?.containers).map((c, i) => ({ where: `template.containers[${i}].image`, image: objectAt(c)?.image }));
    }
    return containersOf(podSpecOf(type, props)).map((c) => ({ where: `${c.kind} "${c.name}"`, image: c.spec.image }));
}

export const imagePinned: ResourceValidationPolicy = {
    name: "image-pinned",
    description: "Container images (Kubernetes, Cloud Run, Lambda) are pinned: a digest, or a tag that is not mutable like latest.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbiddenTags: { type: "array", items: { type: "string" }, default: ["latest"], description: "Tags that move and so do not pin an image." },
            requireDigest: { type: "boolean", default: false, description: "Accept only @sha256 digests." },
        },
    },
    validateResource: forTypes([...K8S_WORKLOAD_TYPES, CLOUD_RUN_SERVICE, LAMBDA_FUNCTION], (args, reportViolation) => {
        const { forbiddenTags, requireDigest } = args.getConfig<ImagePinConfig>();
        const images = imagesOf(args.type, args.props);
        if (images.length === 0) return args.notApplicable("the resource runs no container image (zip Lambda)");
        for (const { where, image } of images) {
            const problem = typeof image === "string" ? imagePinProblem(image, forbiddenTags, requireDigest) : `no image is set`;
            const allowed = requireDigest ? "an @sha256 digest" : `an @sha256 digest or a tag other than ${forbiddenTags.join(", ")}`;
            if (problem) reportViolation(`${describe(args)} ${where}: ${problem}. Allowed: ${allowed}.`);
        }
    }),
};
