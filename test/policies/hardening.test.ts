import { strict as assert } from "node:assert";
import { capabilityProblems, hostNamespaceProblems, hostPathProblems } from "../../policies/secure-defaults/hardening";
import { K8S_WORKLOAD_TYPES } from "../../policies/lib/types";
import { check, messagesOf, resource } from "./harness";
import { container, deploymentProps } from "./workloads";

const hardened = () => container({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } });
const withPod = (pod: Record<string, unknown>, containers = [hardened()]) => ({ spec: { template: { spec: { ...pod, containers } } } });

describe("pod hardening: every workload kind and patch", () => {
    it("covers Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Pod, ReplicationController and each one's Patch", () => {
        for (const kind of ["apps/v1:Deployment", "apps/v1:ReplicaSet", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "batch/v1:Job", "batch/v1:CronJob", "core/v1:Pod", "core/v1:ReplicationController"]) {
            assert.ok(K8S_WORKLOAD_TYPES.includes(`kubernetes:${kind}`) && K8S_WORKLOAD_TYPES.includes(`kubernetes:${kind}Patch`), kind);
        }
    });

    it("passes a hardened Deployment under every hardening policy", async () => {
        const result = await check([resource("kubernetes:apps/v1:Deployment", "inference", deploymentProps([hardened()]))]);
        assert.deepEqual(["k8s-capabilities", "k8s-host-namespaces", "k8s-host-filesystem", "container-security-context"].flatMap((p) => messagesOf(result, p)), []);
    });
});

describe("pod hardening: capabilities", () => {
    const config = { allowedCapabilities: [], requiredDropCapabilities: ["ALL"] };
    it("names added capabilities and a missing drop of ALL", () => {
        assert.deepEqual(capabilityProblems(container({ securityContext: { capabilities: { add: ["NET_ADMIN", "CAP_SYS_ADMIN"] } } }), config, false),
            ["adds capabilities NET_ADMIN, SYS_ADMIN", "does not drop ALL"]);
        assert.deepEqual(capabilityProblems(hardened(), config, false), []);
    });

    it("fails a ReplicaSet adding NET_ADMIN and a DeploymentPatch adding SYS_ADMIN; a patch that leaves capabilities alone passes", async () => {
        const result = await check([
            resource("kubernetes:apps/v1:ReplicaSet", "rs", withPod({}, [{ ...hardened(), securityContext: { ...(hardened().securityContext as object), capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } } }])),
            resource("kubernetes:apps/v1:DeploymentPatch", "patch", withPod({}, [{ name: "inference", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }])),
            resource("kubernetes:apps/v1:DeploymentPatch", "harmless", withPod({}, [{ name: "inference", image: "x@sha256:" + "0".repeat(64) }])),
        ]);
        const messages = messagesOf(result, "k8s-capabilities");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /ReplicaSet "rs" container "inference" adds capabilities NET_ADMIN\. Required: .*Fix: drop ALL capabilities/);
        assert.match(messages[1], /DeploymentPatch "patch" container "inference" adds capabilities SYS_ADMIN\./);
    });
});

describe("pod hardening: host namespaces and filesystem", () => {
    it("names hostNetwork, hostPID, hostIPC and host ports", () => {
        assert.deepEqual(hostNamespaceProblems({ hostNetwork: true, hostPID: true, hostIPC: true, containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }),
            ["spec.hostNetwork is true", "spec.hostPID is true", "spec.hostIPC is true", 'container "inference" publishes hostPort 80']);
    });

    it("fails a DaemonSet on the host network and a CronJob with hostPID", async () => {
        const cron = { spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { hostPID: true, containers: [hardened()] } } } } } };
        const result = await check([resource("kubernetes:apps/v1:DaemonSet", "agent", withPod({ hostNetwork: true })), resource("kubernetes:batch/v1:CronJob", "cron", cron)]);
        const messages = messagesOf(result, "k8s-host-namespaces");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /DaemonSet "agent": spec.hostNetwork is true\. Required: the pod keeps its own network, PID and IPC namespaces/);
        assert.match(messages[1], /CronJob "cron": spec.hostPID is true/);
    });

    it("fails a hostPath volume, allows a listed read-only prefix only when mounted read-only", async () => {
        const pod = (readOnly: boolean) => withPod({ volumes: [{ name: "logs", hostPath: { path: "/var/log/pods" } }] },
            [{ ...hardened(), volumeMounts: [{ name: "logs", mountPath: "/logs", readOnly }] }]);
        assert.match(messagesOf(await check([resource("kubernetes:core/v1:PodPatch", "p", { spec: (pod(true).spec.template.spec) })]), "k8s-host-filesystem")[0],
            /PodPatch "p": volume "logs" mounts hostPath \/var\/log\/pods\. Required: hostPath volumes only under the allowed prefixes: none/);
        const allowed = { "k8s-host-filesystem": { allowedHostPaths: [{ pathPrefix: "/var/log", readOnly: true }] } };
        assert.deepEqual(messagesOf(await check([resource("kubernetes:apps/v1:StatefulSet", "s", pod(true))], allowed), "k8s-host-filesystem"), []);
        assert.deepEqual(hostPathProblems(pod(false).spec.template.spec, allowed["k8s-host-filesystem"].allowedHostPaths), ['volume "logs" mounts hostPath /var/log/pods writable (allowed read-only only)']);
    });
});
