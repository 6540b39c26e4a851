/**
 * Offline plan: what `pulumi preview` would register for a stack, without the Pulumi CLI or cloud credentials.
 *
 *   npm run plan -- --stack dev [--json] [--resolved]
 *   npm run plan -- --config-file stacks/Pulumi.prod-eu.yaml --json
 *   npm run plan -- --stack prod-eu --describe     (no render: backend, cloud, region, warnings as JSON, for CI)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cloudOfBackend } from "../components/config/backends";
import { parseStackConfig } from "../components/config/parse";
import { stackConfigFile } from "../components/program";
import { formatPlan } from "./format";
import { projectConfigDefaults, readStackConfigFile, renderStack } from "./render";

const USAGE = "usage: npm run plan -- (--stack <name> | --config-file <Pulumi.<stack>.yaml>) [--json | --describe] [--resolved]";

async function main(argv: string[]): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                "config-file": { type: "string" },
                json: { type: "boolean", default: false },
                resolved: { type: "boolean", default: false },
                describe: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        }));
    } catch (error) {
        console.error(`${(error as Error).message}\n${USAGE}`);
        return 2;
    }
    if (values.help) {
        console.log(`${USAGE}\n\n--json     one JSON array of {type, name, urn, parent, custom, provider, inputs}\n--describe parse only and print {stack, backend, cloud, region, project, warnings}: what CI needs to pick credentials
--resolved fill values the cloud assigns at creation (ids, ARNs, URLs) with mock values instead of
           showing them as known after apply, as pulumi preview does`);
        return 0;
    }
    if (Boolean(values.stack) === Boolean(values["config-file"])) {
        console.error(`give exactly one of --stack and --config-file\n${USAGE}`);
        return 2;
    }
    const file = values["config-file"] ?? path.resolve(__dirname, "..", "stacks", `Pulumi.${values.stack}.yaml`);
    if (!fs.existsSync(file)) {
        console.error(`${file}: no such stack config file`);
        return 2;
    }
    try {
        const { stack, config } = readStackConfigFile(file);
        const configFile = values["config-file"] ? path.relative(process.cwd(), file) || file : undefined;
        if (values.describe) {
            console.log(JSON.stringify(describeStack(stack, config, configFile ?? stackConfigFile(stack))));
            return 0;
        }
        const rendered = await renderStack({ stack, config, preview: !values.resolved, configFile });
        if (values.json) for (const warning of rendered.warnings) console.error(`warning: ${warning}`);
        console.log(values.json ? JSON.stringify(rendered.resources, null, 2) : formatPlan(rendered));
        return 0;
    } catch (error) {
        console.error((error as Error).message);
        return 1;
    }
}

/** The stack as the program reads it (config validated, nothing rendered): where it deploys and what it warns about. */
function describeStack(stack: string, config: Record<string, string>, source: string) {
    const { platform, warnings } = parseStackConfig({ ...projectConfigDefaults(), ...config }, source);
    const baseline = platform.backend === "hybrid" ? platform.baseline : undefined;
    const project = "project" in platform ? platform.project : baseline && "project" in baseline ? baseline.project : undefined;
    return { stack, backend: platform.backend, cloud: cloudOfBackend(platform.backend, baseline?.backend), region: platform.region, ...(project ? { project } : {}), warnings };
}

// exitCode, not process.exit(): exiting at once would cut a large --json plan written to a pipe at 64 KiB.
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
