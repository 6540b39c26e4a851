/**
 * Offline plan: what `pulumi preview` would register for a stack, without the Pulumi CLI or cloud credentials.
 *
 *   npm run plan -- --stack dev [--json] [--resolved]
 *   npm run plan -- --config-file stacks/Pulumi.prod-eu.yaml --json
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatPlan } from "./format";
import { readStackConfigFile, renderStack } from "./render";

const USAGE = "usage: npm run plan -- (--stack <name> | --config-file <Pulumi.<stack>.yaml>) [--json] [--resolved]";

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
                help: { type: "boolean", short: "h", default: false },
            },
        }));
    } catch (error) {
        console.error(`${(error as Error).message}\n${USAGE}`);
        return 2;
    }
    if (values.help) {
        console.log(`${USAGE}\n\n--json     one JSON array of {type, name, urn, parent, custom, provider, inputs}\n--resolved fill values the cloud assigns at creation (ids, ARNs, URLs) with mock values instead of
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
        const rendered = await renderStack({ stack, config, preview: !values.resolved, configFile });
        console.log(values.json ? JSON.stringify(rendered.resources, null, 2) : formatPlan(rendered));
        return 0;
    } catch (error) {
        console.error((error as Error).message);
        return 1;
    }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
