/**
 * The policy pack as the Pulumi CLI runs it: `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>` from the
 * pack's own node_modules (what the CLI's pulumi-analyzer-policy does), which type-checks the pack with ts-node
 * and the TypeScript the pack depends on, then serves the analyzer gRPC protocol from @pulumi/policy's real
 * server; driven here with the engine's requests (GetAnalyzerInfo, Configure, Analyze per resource,
 * AnalyzeStack). Used as an oracle for the offline runner and as the proof the published pack loads.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { EffectivePolicyConfig } from "../../plan/policy-config";
import { PolicyInputResource, PolicyViolation } from "../../plan/policy-engine";

const LEVELS = { advisory: proto.EnforcementLevel.ADVISORY, mandatory: proto.EnforcementLevel.MANDATORY, disabled: proto.EnforcementLevel.DISABLED, remediate: proto.EnforcementLevel.REMEDIATE };

export interface AnalyzerServer {
    info(): Promise<proto.AnalyzerInfo>;
    configure(config: Record<string, EffectivePolicyConfig>): Promise<void>;
    analyze(resources: PolicyInputResource[]): Promise<PolicyViolation[]>;
    stop(): void;
}

function call<Req, Res>(method: (req: Req, callback: (error: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(req, (error, res) => (error ? reject(error) : resolve(res))));
}

function providerOf(resource: PolicyInputResource): proto.AnalyzerProviderResource | undefined {
    if (!resource.provider) return undefined;
    return new proto.AnalyzerProviderResource().setType(resource.provider.type).setName(resource.provider.name)
        .setUrn(resource.provider.urn).setProperties(Struct.fromJavaScript(resource.provider.props as Record<string, never>));
}

function optionsOf(resource: PolicyInputResource): proto.AnalyzerResourceOptions {
    return new proto.AnalyzerResourceOptions().setParent(resource.parent ?? "").setCustomtimeouts(new proto.AnalyzerResourceOptions.CustomTimeouts());
}

/**
 * The analyzer's message is the policy description, a newline, then what reportViolation was given; a
 * resource policy's diagnostic carries no URN, the engine attributes it to the resource it sent.
 */
function toViolation(d: proto.AnalyzeDiagnostic, analyzedUrn?: string): PolicyViolation {
    const message = d.getMessage().startsWith(`${d.getDescription()}\n`) ? d.getMessage().slice(d.getDescription().length + 1) : d.getMessage();
    return {
        policyName: d.getPolicyname(),
        enforcementLevel: d.getEnforcementlevel() === proto.EnforcementLevel.ADVISORY ? "advisory" : "mandatory",
        message,
        ...(d.getUrn() || analyzedUrn ? { urn: d.getUrn() || analyzedUrn } : {}),
    };
}

/**
 * Starts the pack in `packDir` the way the CLI's policy host does and connects to the port it prints. The
 * engine address is not dialled by a policy pack (it serves; the engine connects), so any address will do.
 */
export async function startAnalyzerServer(packDir: string): Promise<AnalyzerServer> {
    const runner = path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        child.stderr?.on("data", (chunk) => { stderr += chunk; });
        child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
        child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        info: () => call(client.getAnalyzerInfo.bind(client), new Empty()),
        configure: async (config) => {
            const req = new proto.ConfigureAnalyzerRequest();
            for (const [name, entry] of Object.entries(config)) {
                req.getPolicyconfigMap().set(name, new proto.PolicyConfig().setEnforcementlevel(LEVELS[entry.enforcementLevel])
                    .setProperties(Struct.fromJavaScript(entry.properties as Record<string, never>)));
            }
            await call(client.configure.bind(client), req);
        },
        analyze: async (resources) => {
            const violations: PolicyViolation[] = [];
            for (const r of resources) {
                const req = new proto.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(r.urn)
                    .setProperties(Struct.fromJavaScript(r.props as Record<string, never>)).setOptions(optionsOf(r));
                const provider = providerOf(r);
                if (provider) req.setProvider(provider);
                const response = await call<proto.AnalyzeRequest, proto.AnalyzeResponse>(client.analyze.bind(client), req);
                violations.push(...response.getDiagnosticsList().map((d) => toViolation(d, r.urn)));
            }
            const stack = new proto.AnalyzeStackRequest().setResourcesList(resources.map((r) => {
                const resource = new proto.AnalyzerResource().setType(r.type).setName(r.name).setUrn(r.urn)
                    .setProperties(Struct.fromJavaScript(r.props as Record<string, never>)).setOptions(optionsOf(r))
                    .setParent(r.parent ?? "").setDependenciesList(r.dependencies);
                for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                    resource.getPropertydependenciesMap().set(key, new proto.AnalyzerPropertyDependencies().setUrnsList(urns));
                }
                const provider = providerOf(r);
                if (provider) resource.setProvider(provider);
                return resource;
            }));
            const response = await call<proto.AnalyzeStackRequest, proto.AnalyzeResponse>(client.analyzeStack.bind(client), stack);
            violations.push(...response.getDiagnosticsList().map((d) => toViolation(d)));
            return violations;
        },
        stop: () => {
            client.close();
            child.kill();
        },
    };
}
