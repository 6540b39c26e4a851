import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";

/** The Dockerfile's final stages (services/inference/Dockerfile): the long-lived server and the Lambda runtime. */
export type ImageTarget = "server" | "lambda";
/** The CPU architectures the service is built for. */
export type ImageArchitecture = "x86_64" | "arm64";

/**
 * Build paths relative to the project directory (where Pulumi runs the program and its providers), so the inputs
 * are the same on every machine and only a content change (the provider's context hash) rebuilds.
 */
const ROOT = path.resolve(__dirname, "..", "..");
/** Repository root: the build context (npm workspaces share the root lockfile). */
export const BUILD_CONTEXT = ".";
/** The one Dockerfile of the service, both targets. */
export const DOCKERFILE = "services/inference/Dockerfile";

/** The build platform for an architecture; explicit, so the image never inherits the build machine's. */
export function imagePlatform(architecture: ImageArchitecture): "linux/amd64" | "linux/arm64" {
    return architecture === "arm64" ? "linux/arm64" : "linux/amd64";
}

/** A pinned reference: repository@sha256:…, what every workload runs, so a new build rolls out and nothing floats. */
export function digestReference(repository: string, digest: string): string {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`image digest "${digest}" is not sha256:<64 hex>`);
    return `${repository}@${digest}`;
}

/** An empty build context (its .dockerignore excludes everything) for builds that only re-push an upstream image. */
export const EMPTY_CONTEXT = path.relative(ROOT, path.join(__dirname, "mirror-context")).split(path.sep).join("/");

/** Registry login for the push: the registry host and a short-lived credential from the cloud provider. */
export interface RegistryLogin {
    /** Host, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com or us-central1-docker.pkg.dev. */
    address: pulumi.Input<string>;
    username: pulumi.Input<string>;
    password: pulumi.Input<string>;
}

/** Arguments of {@link ServiceImage}. */
export interface ServiceImageArgs {
    /** Repository the image is pushed to (without tag or digest). */
    repository: pulumi.Input<string>;
    target: ImageTarget;
    architecture: ImageArchitecture;
    registry: RegistryLogin;
}

/**
 * The service image, built from the repository by BuildKit inside `pulumi up` and pushed by digest (no tag: the
 * registries keep tags immutable, and a digest is what the workloads pin). `ref` is repository@sha256:… .
 *
 * Lambda accepts a single-platform image manifest only: the build names one platform, and the provider's embedded
 * BuildKit client adds no provenance or SBOM attestation (pulumi-docker-build disables provenance in its client;
 * `exec` stays false because the docker-buildx CLI path would add buildx's default provenance attestation).
 */
export class ServiceImage extends pulumi.ComponentResource {
    /** repository@sha256:… of the pushed image. */
    public readonly ref: pulumi.Output<string>;
    /** The build. */
    public readonly image: dockerBuild.Image;

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:image:ServiceImage", name, {}, opts);
        this.image = new dockerBuild.Image(`${name}-build`, {
            context: { location: BUILD_CONTEXT },
            dockerfile: { location: DOCKERFILE },
            target: args.target,
            platforms: [imagePlatform(args.architecture)],
            exec: false,
            // The registry export below pushes (by digest, untagged); `push: true` would add a second, tagged export.
            push: false,
            exports: [{ registry: { names: [args.repository], pushByDigest: true, ociMediaTypes: args.target !== "lambda" } }],
            registries: [{ address: args.registry.address, username: args.registry.username, password: pulumi.secret(args.registry.password) }],
            labels: { "org.opencontainers.image.source": "services/inference", "org.opencontainers.image.title": `model-serving ${args.target}` },
        }, { parent: this });
        this.ref = pulumi.all([args.repository, this.image.digest]).apply(([repository, digest]) => digestReference(repository, digest));
        this.registerOutputs({ ref: this.ref });
    }
}

/** Arguments of {@link MirroredImage}. */
export interface MirroredImageArgs {
    /** The upstream image, by tag (e.g. the cloud CLI that syncs a bucket-sourced model). */
    upstream: string;
    /** Repository of the stack it is copied into. */
    repository: pulumi.Input<string>;
    architecture: ImageArchitecture;
    registry: RegistryLogin;
}

/**
 * A third-party image copied into the stack's registry (a build of `FROM <upstream>` for one platform), pushed by
 * digest: pods pull only from the stack's registry and only by digest, as the image policies require.
 */
export class MirroredImage extends pulumi.ComponentResource {
    /** repository@sha256:… of the copy. */
    public readonly ref: pulumi.Output<string>;

    constructor(name: string, args: MirroredImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:image:MirroredImage", name, {}, opts);
        const image = new dockerBuild.Image(`${name}-build`, {
            context: { location: EMPTY_CONTEXT },
            dockerfile: { inline: `FROM ${args.upstream}\n` },
            platforms: [imagePlatform(args.architecture)],
            exec: false,
            push: false,
            exports: [{ registry: { names: [args.repository], pushByDigest: true } }],
            registries: [{ address: args.registry.address, username: args.registry.username, password: pulumi.secret(args.registry.password) }],
            labels: { "org.opencontainers.image.base.name": args.upstream },
        }, { parent: this });
        this.ref = pulumi.all([args.repository, image.digest]).apply(([repository, digest]) => digestReference(repository, digest));
        this.registerOutputs({ ref: this.ref });
    }
}
