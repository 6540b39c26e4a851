/**
 * The offline policy check of one stack: render under mocks, reconcile the policy config with the pack's
 * schemas, run every policy with the engine's semantics.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packEnforcementLevel, packName, packVersion, policies } from "../policies/pack";
import { parsePolicyPackConfig, reconcilePolicyPackConfig } from "./policy-config";
import { PolicyRunResult, runPolicies } from "./policy-engine";
import { policyInputs, renderForPolicies, stackTagsOf } from "./policy-inputs";
import { readStackConfigFile } from "./render";

export const ROOT = path.resolve(__dirname, "..");

/** Where a stack's policy config lives by convention. */
export function policyConfigFileFor(stack: string): string {
    return path.join(ROOT, "policies", "config", `${stack}.json`);
}

export interface StackCheck extends PolicyRunResult {
    stack: string;
    packName: string;
    policyCount: number;
    resourceCount: number;
    policyConfigFile: string;
}

/** A problem with the inputs of a check (config file, policy config): not a policy violation. */
export class CheckInputError extends Error {}

/**
 * `configFile` is the stack file actually checked: the program's config errors and this check's own refusals name
 * it as given (relative to the working directory), never the conventional stacks/Pulumi.<stack>.yaml.
 */
export async function checkStack(opts: { configFile: string; policyConfigFile?: string; preview: boolean }): Promise<StackCheck> {
    const { stack, config } = readStackConfigFile(opts.configFile);
    const policyConfigFile = opts.policyConfigFile ?? policyConfigFileFor(stack);
    if (!fs.existsSync(policyConfigFile)) {
        throw new CheckInputError(`${shown(policyConfigFile)}: no policy config for stack "${stack}"; create it (see docs/policies.md) or pass --policy-config`);
    }
    let given;
    try {
        given = parsePolicyPackConfig(fs.readFileSync(policyConfigFile, "utf8"));
    } catch (error) {
        throw new CheckInputError(`${shown(policyConfigFile)}: ${(error as Error).message}`);
    }
    const reconciled = reconcilePolicyPackConfig(policies, packEnforcementLevel, given);
    if (reconciled.errors.length > 0) {
        throw new CheckInputError(`${shown(policyConfigFile)}: invalid policy config:\n  ${reconciled.errors.join("\n  ")}`);
    }
    const { rendered, dependencies } = await renderForPolicies({ stack, config, preview: opts.preview, configFile: shown(opts.configFile) });
    const resources = policyInputs(rendered, dependencies);
    const result = await runPolicies({ pack: { name: packName, version: packVersion }, policies, config: reconciled.config, resources, stackTags: stackTagsOf(ROOT) });
    return {
        ...result, stack, packName, policyCount: policies.length, resourceCount: resources.length,
        policyConfigFile: shown(policyConfigFile),
    };
}

/** A file as the user would type it: relative to the working directory when inside it. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") ? relative : file;
}
