import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link GcpArtifacts}. */
export interface GcpArtifactsArgs {
    /** Service name: the image name and label. */
    serviceName: string;
    /** Artifact Registry repository id (carries the stack: stacks may share a project). */
    repositoryName: string;
    /** Region of the repository and bucket (single-region, so data stays where residency says). */
    region: string;
    /** GCP project. */
    project: string;
    /** Production intent: keep the registry and the bucket when the stack stops using them; otherwise delete them with their contents. */
    retain: boolean;
}

/**
 * Where a GCP deployment keeps its bits: an Artifact Registry Docker repository and a GCS model bucket in the
 * stack's region, with uniform access and public access prevented. Shared by the gke and cloudrun backends.
 */
export class GcpArtifacts extends pulumi.ComponentResource {
    /** Artifact Registry repository. */
    public readonly repository: gcp.artifactregistry.Repository;
    /** Image path without tag: <region>-docker.pkg.dev/<project>/<repository>/<service>. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The repository's own path, <region>-docker.pkg.dev/<project>/<repository>, under which other images go. */
    public readonly repositoryPath: pulumi.Output<string>;
    /** GCS bucket holding model artifacts under <model>/<version>/. */
    public readonly modelBucket: gcp.storage.Bucket;

    constructor(name: string, args: GcpArtifactsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("model-serving:gcp:Artifacts", name, {}, opts);
        const labels = { service: args.serviceName };
        // retainOnDelete: Pulumi forgets a retained resource instead of deleting it, so a backend switch still completes.
        const keep = { parent: this, retainOnDelete: args.retain };

        this.repository = new gcp.artifactregistry.Repository(`${name}-images`, {
            repositoryId: args.repositoryName,
            format: "DOCKER",
            location: args.region,
            project: args.project,
            dockerConfig: { immutableTags: true },
            labels,
        }, keep);
        this.repositoryPath = pulumi.interpolate`${args.region}-docker.pkg.dev/${args.project}/${this.repository.repositoryId}`;
        this.repositoryUrl = pulumi.interpolate`${this.repositoryPath}/${args.serviceName}`;

        this.modelBucket = new gcp.storage.Bucket(`${name}-models`, {
            location: args.region,
            project: args.project,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            forceDestroy: !args.retain,
            labels,
        }, keep);

        this.registerOutputs({ repositoryUrl: this.repositoryUrl, modelBucket: this.modelBucket.name });
    }
}
