// Bounded soak (issue 7): steady load on a loopback server for a few minutes, then a report of errors and
// memory growth. Stops by itself. Usage: npm run soak -w services/inference [-- --minutes 3 --connections 16]
import { parseArgs } from "node:util";
import { loadMetadata, predictBodyStream } from "../../../tools/load/bodies";
import { runClosedLoop } from "../../../tools/load/closed-loop";
import { MIB, processMemory } from "../../../tools/load/memory";
import { ServerProcess } from "../../../tools/load/server-process";
import { percentile } from "../../../tools/load/stats";
import { DEFAULT_MODEL_DIR } from "../src/config";

const WINDOW_SECONDS = 10;
/** Growth allowed between the first and the last window, after warm-up; more suggests a leak. */
const RSS_GROWTH_LIMIT = 48 * MIB;

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { minutes: { type: "string", default: "3" }, connections: { type: "string", default: "16" } } });
    const windows = Math.max(2, Math.round((Number(values.minutes) * 60) / WINDOW_SECONDS));
    const modelDir = process.env.MODEL_DIR || DEFAULT_MODEL_DIR;
    // Cache on (the default) with random inputs: the LRU fills to its bound, which the memory check then covers.
    const server = await ServerProcess.start({ MODEL_DIR: modelDir });
    server.ignoreLogs();
    // Mostly valid properties, one in ten with its first feature below its range, so the error path soaks too.
    const metadata = loadMetadata(modelDir);
    const valid = predictBodyStream(metadata);
    const [first] = metadata.features;
    let sent = 0;
    const mixedBody = (): string => (++sent % 10 === 0 ? JSON.stringify({ ...JSON.parse(valid()), [first.name]: first.min - 1 }) : valid());
    const rows: Array<{ window: number; perSecond: number; okP99Ms: number | null; rssMiB: number; rss: number }> = [];
    let socketErrors = 0;
    const statuses: Record<number, number> = {};
    try {
        for (let w = 0; w < windows; w++) {
            const load = await runClosedLoop({ url: server.url, path: "/predict", connections: Number(values.connections), durationSec: WINDOW_SECONDS, bodies: mixedBody });
            for (const [status, count] of Object.entries(load.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
            socketErrors += load.errors;
            const rss = processMemory(server.pid).rssBytes;
            const answered = Object.values(load.statuses).reduce((a, b) => a + b, 0);
            // A window with no 200 at all is reported as such (null), and its 5xx or socket errors fail the soak below.
            const okP99Ms = load.okLatenciesMs.length > 0 ? percentile(load.okLatenciesMs, 99) : null;
            const row = { window: w + 1, perSecond: Math.round(answered / WINDOW_SECONDS), okP99Ms, rssMiB: Math.round(rss / MIB), rss };
            rows.push(row);
            console.log(JSON.stringify({ ...row, rss: undefined }));
        }
    } finally {
        await server.stop();
    }
    const growth = rows[rows.length - 1].rss - rows[0].rss;
    const problems = [
        ...Object.keys(statuses).filter((s) => Number(s) >= 500).map((s) => `${statuses[Number(s)]} answers with status ${s}`),
        ...(socketErrors > 0 ? [`${socketErrors} requests failed at the socket`] : []),
        ...(rows.some((r) => r.okP99Ms === null) ? ["a window answered no 200 at all"] : []),
        ...(growth > RSS_GROWTH_LIMIT ? [`resident memory grew ${Math.round(growth / MIB)} MiB after the first window`] : []),
    ];
    console.log(JSON.stringify({ windows, statuses, socketErrors, rssGrowthMiB: Math.round(growth / MIB), problems }, null, 2));
    return problems.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
});
