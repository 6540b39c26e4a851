import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import picomatch from "picomatch";
import { describe, finding, forTypes } from "../lib/policy";
import { notePreviewUnknown } from "../lib/preview";
import { arrayAt, objectAt, readKnown } from "../lib/props";
import { CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE, K8S_WORKLOAD_TYPES, LAMBDA_FUNCTION } from "../lib/types";
import { containersOf, podSpecOf } from "../lib/workloads";

/** Every image a workload runs, with where it is declared; read lazily, so one image unknown at preview does not hide the others. */
export function imagesOf(type: string, props: Record<string, unknown>): { where: string; read: () => unknown }[] {
    if (type === LAMBDA_FUNCTION) return props.packageType === "Image" || props.imageUri !== undefined ? [{ where: "imageUri", read: () => props.imageUri }] : [];
    if (type === CLOUD_RUN_SERVICE) {
        return arrayAt(objectAt(props.template)?.containers).map((c, i) => ({ where: `template.containers[${i}].image`, read: () => objectAt(c)?.image }));
    }
    if (type === CLOUD_RUN_V1_SERVICE) {
        return arrayAt(objectAt(objectAt(props.template)?.spec)?.containers).map((c, i) => ({ where: `template.spec.containers[${i}].image`, read: () => objectAt(c)?.image }));
    }
    return containersOf(podSpecOf(type, props)).map((c) => ({ where: `${c.kind} "${c.name}"`, read: () => c.spec.image }));
}

const IMAGE_TYPES: readonly string[] = [...K8S_WORKLOAD_TYPES, CLOUD_RUN_SERVICE, CLOUD_RUN_V1_SERVICE, LAMBDA_FUNCTION];

/**
 * Runs `check` on every image of a workload whose reference is known; an image unknown at preview is noted for
 * preview-unknowns and the others are still checked. Zip Lambdas and patches that set no image are not applicable.
 */
function eachImage(policyName: string, args: ResourceValidationArgs, check: (where: string, image: unknown) => void): void {
    const images = imagesOf(args.type, args.props).map((i) => ({ ...i, value: readKnown(i.read) }))
        .filter((i) => !(args.type.endsWith("Patch") && i.value.known && i.value.value === undefined));
    if (images.length === 0) return args.notApplicable("the resource sets no container image (zip Lambda, or a patch that keeps the image)");
    for (const { where, value } of images) {
        if (value.known) check(where, value.value);
        else notePreviewUnknown(args.urn, policyName, value.path);
    }
}

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
    validateResource: forTypes("image-pinned", IMAGE_TYPES, (args, reportViolation) => {
        const { forbiddenTags, requireDigest } = args.getConfig<ImagePinConfig>();
        const required = requireDigest ? "an @sha256 digest" : `an @sha256 digest or a tag other than ${forbiddenTags.join(", ")}`;
        eachImage("image-pinned", args, (where, image) => {
            const problem = typeof image === "string" ? imagePinProblem(image, forbiddenTags, requireDigest) : "no image is set";
            if (problem) reportViolation(finding(`${describe(args)} ${where}: ${problem}`, required, "deploy the image by the digest the build pushed (repository@sha256:…)"));
        });
    }),
};

/** The registry host and repository path of an image reference, without tag or digest: "docker.io/library/python". */
export function repositoryOf(image: string): string {
    const withoutDigest = image.split("@")[0];
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
    const first = repository.split("/")[0];
    // Docker's own shorthand: "python" and "acme/app" live on Docker Hub.
    const onHub = !repository.includes("/") || !(first.includes(".") || first.includes(":") || first === "localhost");
    if (!onHub) return repository;
    return repository.includes("/") ? `docker.io/${repository}` : `docker.io/library/${repository}`;
}

/** Whether an image's repository matches one of the allowed patterns ("*" one path segment or host label part, "**" any depth). */
export function registryAllowed(image: string, allowed: string[]): boolean {
    const repository = repositoryOf(image);
    return allowed.some((pattern) => picomatch.isMatch(repository, pattern, { dot: true }));
}

export const allowedRegistries: ResourceValidationPolicy = {
    name: "allowed-registries",
    description: "Container images come only from the configured registries and repositories (by default the clouds' private registries: ECR and Artifact Registry), never from a public upstream such as Docker Hub.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedRegistries: {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                default: ["*.dkr.ecr.*.amazonaws.com/**", "*-docker.pkg.dev/**"],
                description: "Glob patterns over \"<registry host>/<repository>\" (\"*\" within a segment, \"**\" across segments); Docker Hub images are docker.io/<namespace>/<name>.",
            },
        },
    },
    validateResource: forTypes("allowed-registries", IMAGE_TYPES, (args, reportViolation) => {
        const { allowedRegistries: allowed } = args.getConfig<{ allowedRegistries: string[] }>();
        eachImage("allowed-registries", args, (where, image) => {
            if (typeof image !== "string" || registryAllowed(image, allowed)) return;
            reportViolation(finding(`${describe(args)} ${where}: image "${image}" comes from ${repositoryOf(image)}`,
                `images from ${allowed.join(", ")}`,
                "build the image into the stack's own registry (ECR / Artifact Registry), or mirror the upstream image there and deploy the mirror by digest"));
        });
    }),
};
