import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { AwsArtifacts } from "../backends/aws-artifacts";
import { GcpArtifacts } from "../backends/gcp-artifacts";
import { MirroredImage, ServiceImage, type ImageArchitecture, type ImageTarget, type RegistryLogin } from "../backends/image";
import * as naming from "../naming";
import type { ServiceSpec } from "../spec";

/** What one backend's render hands back to ModelService (and a hybrid's render to its own wiring). */
export interface Rendered {
    /** Where callers reach the service. */
    url: pulumi.Output<string>;
    /** The image the main workload runs, pinned by digest when built here. */
    image: pulumi.Output<string>;
    /** Names of the main resources, for outputs and runbooks. */
    resourceNames: Record<string, pulumi.Input<string>>;
    /** hybrid only: the private overflow's URL. */
    overflowUrl?: pulumi.Output<string>;
    /** Kubernetes backends: a kubeconfig for other stacks (new clusters only). */
    kubeconfig?: pulumi.Output<string>;
}

/** Where a render declares its resources. */
export interface RenderContext {
    /** Prefix of every logical name (the ModelService's name, or "<name>-hybrid" inside a hybrid). */
    name: string;
    /** The cloud-independent service. */
    service: ServiceSpec;
    /** Parent of every component the render declares. */
    parent: pulumi.Resource;
    /** The stack being deployed (physical names carry it). */
    stack: string;
    /** Name of the Kubernetes objects (the service's current name; `service.name` is the cloud name, see naming.cloudName). */
    kubernetesName: string;
    /** Registries, buckets and images, created once per cloud however many renders ask for them. */
    artifacts: ArtifactStore;
}

/** Options of every component a render declares directly. */
export function childOf(ctx: RenderContext, opts: pulumi.ComponentResourceOptions = {}): pulumi.ComponentResourceOptions {
    return { ...opts, parent: ctx.parent };
}

/**
 * The stack's registry and model bucket per cloud, and one image build per target and architecture: a hybrid's two
 * halves share them, and no render constructs artifacts of its own.
 */
export class ArtifactStore {
    private aws?: AwsArtifacts;
    private gcp?: GcpArtifacts;
    private readonly images = new Map<string, pulumi.Output<string>>();

    constructor(private readonly ctx: Omit<RenderContext, "artifacts">) {}

    /** ECR repository and S3 model bucket in `region`. */
    public awsArtifacts(region: string): AwsArtifacts {
        this.aws ??= new AwsArtifacts(this.artifactsName, {
            serviceName: this.ctx.service.name, repositoryName: naming.stackScopedName(this.ctx.service.name, this.ctx.stack), region,
            retain: this.ctx.service.deletionPolicy === "retain",
        }, { parent: this.ctx.parent });
        return this.aws;
    }

    /** Artifact Registry repository and GCS model bucket in `region` of `project`. */
    public gcpArtifacts(region: string, project: string): GcpArtifacts {
        this.gcp ??= new GcpArtifacts(this.artifactsName, {
            serviceName: this.ctx.service.name, repositoryName: naming.stackScopedName(this.ctx.service.name, this.ctx.stack), region, project,
            retain: this.ctx.service.deletionPolicy === "retain",
        }, { parent: this.ctx.parent });
        return this.gcp;
    }

    /**
     * The image of `target` in the stack's ECR repository: `prebuilt` when the config names one (CI built it),
     * otherwise built and pushed here with an ECR token from the provider.
     */
    public awsImage(region: string, target: ImageTarget, architecture: ImageArchitecture, prebuilt: string | undefined): pulumi.Output<string> {
        if (prebuilt) return pulumi.output(prebuilt);
        return this.build(this.awsArtifacts(region), `${target}/${architecture}`, () => new ServiceImage(this.imageName(target, architecture), {
            ...this.awsPush(region), target, architecture,
        }, { parent: this.awsArtifacts(region) }).ref);
    }

    /** The image of `target` in the stack's Artifact Registry repository, pushed with the provider's access token. */
    public gcpImage(region: string, project: string, target: ImageTarget, architecture: ImageArchitecture, prebuilt: string | undefined): pulumi.Output<string> {
        if (prebuilt) return pulumi.output(prebuilt);
        return this.build(this.gcpArtifacts(region, project), `${target}/${architecture}`, () => new ServiceImage(this.imageName(target, architecture), {
            ...this.gcpPush(region, project), target, architecture,
        }, { parent: this.gcpArtifacts(region, project) }).ref);
    }

    /**
     * `upstream` copied into the stack's ECR repository and pinned by digest; with a prebuilt service image (CI path,
     * no build in `pulumi up`) the upstream reference itself.
     */
    public awsMirror(region: string, role: string, upstream: string, architecture: ImageArchitecture): pulumi.Output<string> {
        if (this.ctx.service.image) return pulumi.output(upstream);
        const artifacts = this.awsArtifacts(region);
        return this.build(artifacts, `${role}/${architecture}`, () => new MirroredImage(`${this.artifactsName}-${role}-image`, {
            ...this.awsPush(region), upstream, architecture,
        }, { parent: artifacts }).ref);
    }

    /** `upstream` copied into the stack's Artifact Registry repository (as <repository>/<role>) and pinned by digest. */
    public gcpMirror(region: string, project: string, role: string, upstream: string, architecture: ImageArchitecture): pulumi.Output<string> {
        if (this.ctx.service.image) return pulumi.output(upstream);
        const artifacts = this.gcpArtifacts(region, project);
        const push = this.gcpPush(region, project);
        return this.build(artifacts, `${role}/${architecture}`, () => new MirroredImage(`${this.artifactsName}-${role}-image`, {
            ...push, repository: pulumi.interpolate`${artifacts.repositoryPath}/${role}`, upstream, architecture,
        }, { parent: artifacts }).ref);
    }

    /** Builds are children of the artifacts and named after them, so a rename's aliases reach them too. */
    private imageName(target: ImageTarget, architecture: ImageArchitecture): string {
        return `${this.artifactsName}-${target}-${architecture}-image`;
    }

    /** Logical name of the artifacts component. */
    private get artifactsName(): string {
        return `${this.ctx.name}-artifacts`;
    }

    /** Where AWS builds push: the ECR repository, with a token from the provider (`docker login` is not needed). */
    private awsPush(region: string): { repository: pulumi.Output<string>; registry: RegistryLogin } {
        const artifacts = this.awsArtifacts(region);
        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: artifacts.repository.registryId, region }, { parent: artifacts });
        return {
            repository: artifacts.repository.repositoryUrl,
            registry: { address: artifacts.repository.repositoryUrl.apply((url) => url.split("/")[0]), username: token.userName, password: token.password },
        };
    }

    /** Where GCP builds push: the Artifact Registry repository, with the provider's OAuth access token. */
    private gcpPush(region: string, project: string): { repository: pulumi.Output<string>; registry: RegistryLogin } {
        const artifacts = this.gcpArtifacts(region, project);
        const client = gcp.organizations.getClientConfigOutput({ parent: artifacts });
        return {
            repository: artifacts.repositoryUrl,
            registry: { address: `${region}-docker.pkg.dev`, username: "oauth2accesstoken", password: client.accessToken },
        };
    }

    /** One build per key and registry, however many renders ask for it. */
    private build(artifacts: pulumi.Resource, key: string, create: () => pulumi.Output<string>): pulumi.Output<string> {
        const id = `${artifacts instanceof AwsArtifacts ? "aws" : "gcp"}:${key}`;
        const existing = this.images.get(id);
        if (existing) return existing;
        const built = create();
        this.images.set(id, built);
        return built;
    }
}
