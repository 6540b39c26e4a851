/**
 * npm run advise -- --profile <traffic.json> [--bench <results.json>] [--prices <prices.json>] [--out <dir>] [--json]
 * Prints a cost/capacity table per backend and a recommendation, and writes a chart to <out>/<profile>.svg.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_ASSUMPTIONS } from "./assumptions";
import { renderSvg } from "./chart";
import { serviceFacts } from "./facts";
import { InputError, loadBench, loadPrices, loadProfile } from "./load";
import { advise, chartFor } from "./advise";
import { textReport } from "./report";

const USAGE = "usage: npm run advise -- --profile <traffic.json> [--bench <results.json>] [--prices <prices.json>] [--out <dir>] [--json]";
const DEFAULT_BENCH = "bench/results/latest.json";

async function main(argv: string[]): Promise<void> {
    const { values } = parseArgs({
        args: argv,
        options: {
            profile: { type: "string" },
            bench: { type: "string", default: DEFAULT_BENCH },
            prices: { type: "string", default: join(__dirname, "prices.json") },
            out: { type: "string", default: join(__dirname, "results") },
            json: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    if (!values.profile) throw new InputError(`--profile is required\n${USAGE}`);
    const prices = loadPrices(values.prices);
    const profile = loadProfile(values.profile, prices);
    let bench;
    try {
        bench = loadBench(values.bench);
    } catch (e) {
        if (e instanceof InputError && e.message.startsWith("benchmark results file not found") && values.bench === DEFAULT_BENCH) {
            throw new InputError(`no benchmark results at ${DEFAULT_BENCH}: run the benchmarks first (see docs/performance.md) or pass --bench <file>`);
        }
        throw e;
    }
    const advice = advise(profile, serviceFacts(bench, DEFAULT_ASSUMPTIONS), prices, DEFAULT_ASSUMPTIONS);
    mkdirSync(values.out, { recursive: true });
    const chartPath = join(values.out, `${profile.name ?? basename(values.profile, ".json")}.svg`);
    writeFileSync(chartPath, await renderSvg(chartFor(profile, advice)));
    console.log(values.json ? JSON.stringify({ ...advice, chart: chartPath }, null, 2) : textReport(advice, chartPath));
}

main(process.argv.slice(2)).catch((e: unknown) => {
    // Bad input is the user's to fix: say what and where, without a stack trace.
    const known = e instanceof InputError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"));
    console.error(`advise: ${known ? (e as Error).message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = known ? 2 : 1;
});
