import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../spec";
import { canaryServiceSpec } from "./canary";
import { cloudRunRevisionName, cloudRunTraffic, templateFingerprint } from "./serverless";

type RevisionTemplate = gcp.types.input.cloudrunv2.ServiceTemplate;

/**
 * A Cloud Run service's template and traffic, with Cloud Run's own mechanism for a canary: two revisions of one
 * service, tagged, with percentage traffic. Every revision is named from its model version and a fingerprint of its
 * template (rollout/serverless.ts), so the stable revision an earlier `pulumi up` created can be named again: with a
 * canary the service's template is the canary's (a new revision) and traffic goes 100 − percent to the stable
 * revision, percent to the canary's, each reachable at https://<tag>---<service host>.
 */
export function cloudRunRollout(
    serviceName: string, service: ServiceSpec, templateFor: (served: ServiceSpec) => RevisionTemplate,
): { template: RevisionTemplate; traffic: gcp.types.input.cloudrunv2.ServiceTraffic[] } {
    // Only the name waits for the template's outputs: the rest stays readable at preview (the policy pack checks it).
    const revisionOf = (served: ServiceSpec, template: RevisionTemplate) => pulumi.output(template)
        .apply((resolved) => cloudRunRevisionName(serviceName, served.model.version, templateFingerprint(resolved)));
    const stableTemplate = templateFor(service);
    const stableRevision = revisionOf(service, stableTemplate);
    if (!service.canary) return { template: { ...stableTemplate, revision: stableRevision }, traffic: cloudRunTraffic() };
    const served = canaryServiceSpec(service, service.canary);
    const canaryTemplate = templateFor(served);
    const canaryRevision = revisionOf(served, canaryTemplate);
    const [stable, canary] = cloudRunTraffic({ percent: service.canary.percent, stableRevision: "", canaryRevision: "" });
    return {
        template: { ...canaryTemplate, revision: canaryRevision },
        traffic: [{ ...stable, revision: stableRevision }, { ...canary, revision: canaryRevision }],
    };
}

/** The canary revision's tag URL from the service's traffic statuses, once Cloud Run reports it. */
export function canaryTagUrl(statuses: pulumi.Output<Array<{ tag?: string; uri?: string }> | undefined>): pulumi.Output<string | undefined> {
    return statuses.apply((list) => list?.find((status) => status.tag === "canary")?.uri);
}
