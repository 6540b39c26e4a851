/**
 * npm run policy:check -- --stack <name> | --config-file <Pulumi.<stack>.yaml> [--policy-config <file>] [--resolved] [--json]
 *
 * Runs the policy pack over a mock render of the stack (as `npm run plan` renders it: a preview, or with
 * --resolved the mocks' post-create values), prints every violation and exits 1 when any is mandatory,
 * 0 otherwise, 2 when the inputs (stack file, policy config, a program that rejects the config) are unusable.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { groupViolations, resourceOf } from "./policy-report";
import { CheckInputError, checkStack, ROOT, StackCheck } from "./policy-stack";

const USAGE = "usage: npm run policy:check -- (--stack <name> | --config-file <path/to/Pulumi.<stack>.yaml>) [--policy-config <file>] [--resolved] [--json]";

function report(check: StackCheck, elapsedMs: number): string {
    const lines = [`policy pack ${check.packName}: ${check.policyCount} policies, stack ${check.stack} (${check.resourceCount} resources), config ${check.policyConfigFile}`];
    for (const g of groupViolations(check.violations)) {
        const indent = (text: string) => `    ${text.replace(/\n/g, "\n    ")}`;
        if (g.urns.length === 1) {
            lines.push(`[${g.enforcementLevel}] ${g.policyName}  ${g.urns[0] ?? "(stack)"}`, indent(g.message));
        } else {
            lines.push(`[${g.enforcementLevel}] ${g.policyName}  (${g.urns.length} resources, one cause)`, indent(g.message),
                indent(`on: ${g.urns.map((urn) => (urn ? resourceOf(urn) : "(stack)")).join(", ")}`));
        }
    }
    const mandatory = check.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push(`${mandatory} mandatory, ${check.violations.length - mandatory} advisory violation(s) in ${elapsedMs} ms`);
    return lines.join("\n");
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" }, "config-file": { type: "string" }, "policy-config": { type: "string" },
            resolved: { type: "boolean", default: false }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (Boolean(values.stack) === Boolean(values["config-file"])) {
        console.error(USAGE);
        return 2;
    }
    const configFile = values["config-file"] ? path.resolve(values["config-file"]) : path.join(ROOT, "stacks", `Pulumi.${values.stack}.yaml`);
    const started = Date.now();
    try {
        const check = await checkStack({
            configFile,
            policyConfigFile: values["policy-config"] ? path.resolve(values["policy-config"]) : undefined,
            preview: !values.resolved,
        });
        console.log(values.json ? JSON.stringify({ ...check, groups: groupViolations(check.violations) }, null, 2) : report(check, Date.now() - started));
        return check.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (error) {
        if (error instanceof CheckInputError) {
            console.error(`policy:check: ${error.message}`);
            return 2;
        }
        throw error;
    }
}

// process.exit, not exitCode: a program the render rejects also leaves the Pulumi runtime's own rejection
// pending, which Node would print as an uncaught error after main returns.
main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
});
