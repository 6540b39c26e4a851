import * as pulumi from "@pulumi/pulumi";
import { GcpProjectServices, projectServices } from "./backends/gcp-services";
import { cloudName } from "./naming";
import { ArtifactStore, type Rendered } from "./render/context";
import { renderBackend } from "./render/table";
import { specProblems } from "./validate";
import type { Platform, ServiceSpec } from "./spec";

/** Arguments of {@link ModelService}. */
export interface ModelServiceArgs {
    /** The service, independent of any cloud: model, image, resources, scaling, exposure, residency, env. */
    service: ServiceSpec;
    /** Where it runs: the backend and its settings (from the stack config). */
    platform: Platform;
    /** Stack the service is deployed in; physical names and identities carry it. Default: the running stack. */
    stack?: string;
}

/**
 * One ML inference service, declared once and rendered on the backend the platform names, through the backend
 * table (components/render/table.ts):
 *
 *   eks      → artifacts (ECR, S3, image) + EksCluster (new or existing) + KubernetesWorkload
 *   gke      → artifacts (Artifact Registry, GCS, image) + GkeCluster + [GkePodIdentity] + KubernetesWorkload
 *   cloudrun → artifacts + CloudRunService
 *   lambda   → artifacts (Lambda-target image) + LambdaService
 *   hybrid   → the eks or gke render + a private Lambda / Cloud Run overflow render + the wiring between them
 *
 * On GCP, the project's APIs are enabled first (unless enableApis is false) and every GCP resource waits for them.
 */
export class ModelService extends pulumi.ComponentResource {
    /** Where callers reach the service (in-cluster DNS name for private Kubernetes services). */
    public readonly url: pulumi.Output<string>;
    /** hybrid only: the private serverless overflow the pods forward to; undefined on other backends. */
    public readonly overflowUrl?: pulumi.Output<string>;
    /** Backend it runs on. */
    public readonly backend: string;
    /** Cloud region it runs in. */
    public readonly region: string;
    /** Served model version. */
    public readonly modelVersion: string;
    /** The canary beside it (version, share of requests); undefined without one. */
    public readonly canary?: { modelVersion: string; percent: number };
    /** Image reference the main workload runs: repository@sha256:… when built by this stack. */
    public readonly image: pulumi.Output<string>;
    /** Kubeconfig of a new cluster (secret), so other stacks can deploy into it; undefined otherwise. */
    public readonly kubeconfig?: pulumi.Output<string>;
    /** Names of the main resources (registry, bucket, cluster, workload), for outputs and runbooks. */
    public readonly resourceNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ModelServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const apis = projectServices(args.platform, args.service);
        const project = gcpProject(args.platform);
        const enable = apis.length > 0 && project !== undefined && enableApis(args.platform);
        const servicesHolder: { resource?: pulumi.Resource } = {};
        // Every GCP resource of this service waits for the APIs it calls (transformations reach all descendants).
        const waitForApis: pulumi.ResourceTransformation = (resource) =>
            resource.type.startsWith("gcp:") && resource.type !== "gcp:projects/service:Service" && servicesHolder.resource
                ? { props: resource.props, opts: pulumi.mergeOptions(resource.opts, { dependsOn: [servicesHolder.resource] }) }
                : undefined;
        super("model-serving:index:ModelService", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), ...(enable ? [waitForApis] : [])] });
        const problems = specProblems(args.service, args.platform);
        if (problems.length > 0) throw new pulumi.ResourceError(`ModelService ${name}: ${problems.join("; ")}`, this);

        const { service, platform } = args;
        const stack = args.stack ?? pulumi.getStack();
        this.backend = platform.backend;
        this.region = platform.region;
        this.modelVersion = service.model.version;
        if (service.canary) this.canary = { modelVersion: service.canary.version, percent: service.canary.percent };
        if (enable) servicesHolder.resource = new GcpProjectServices(`${name}-apis`, { project: project!, services: apis }, { parent: this });

        // Cloud resources keep the name they were created with (renamedFrom); Kubernetes objects take the current one.
        const base = { name, service: { ...service, name: cloudName(service) }, parent: this, stack, kubernetesName: service.name };
        const rendered: Rendered = renderBackend({ ...base, artifacts: new ArtifactStore(base) }, platform);
        this.url = rendered.url;
        this.image = rendered.image;
        this.overflowUrl = rendered.overflowUrl;
        this.kubeconfig = rendered.kubeconfig;
        this.resourceNames = pulumi.output(rendered.resourceNames);
        this.registerOutputs({
            url: this.url, image: this.image, backend: this.backend, region: this.region, modelVersion: this.modelVersion, resourceNames: this.resourceNames,
            ...(this.overflowUrl ? { overflowUrl: this.overflowUrl } : {}),
            ...(this.canary ? { canary: this.canary } : {}),
        });
    }
}

/** The GCP project of a platform, if it runs on GCP. */
function gcpProject(platform: Platform): string | undefined {
    if (platform.backend === "gke" || platform.backend === "cloudrun") return platform.project;
    if (platform.backend === "hybrid" && platform.baseline.backend === "gke") return platform.baseline.project;
    return undefined;
}

/** Whether the stack enables its project's APIs (false for locked-down projects). */
function enableApis(platform: Platform): boolean {
    if (platform.backend === "gke" || platform.backend === "cloudrun") return platform.enableApis;
    if (platform.backend === "hybrid" && platform.baseline.backend === "gke") return platform.baseline.enableApis;
    return false;
}
