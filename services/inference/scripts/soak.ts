// Bounded soak (issue 7): steady load on a loopback server for a few minutes, then a report of errors and
// memory growth. Stops by itself. Usage: npm run soak -w services/inference [-- --minutes 3 --connections 16]
import { parseArgs } from "node:util";
import { percentile, randomProperty, residentBytes, runLoad } from "./load";
import { ServerProcess } from "./server-process";

const WINDOW_SECONDS = 10;
/** Growth allowed between the first and the last window, after warm-up; more suggests a leak. */
const RSS_GROWTH_LIMIT = 48 * 2 ** 20;

/** Mostly valid properties, one in ten invalid, so the error path soaks too. */
function mixedBody(): unknown {
    const property = randomProperty();
    return Math.random() < 0.1 ? { ...property, bedrooms: -1 } : property;
}

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { minutes: { type: "string", default: "3" }, connections: { type: "string", default: "16" } } });
    const windows = Math.max(2, Math.round((Number(values.minutes) * 60) / WINDOW_SECONDS));
    // Cache on (the default) with random inputs: the LRU fills to its bound, which the memory check then covers.
    const server = await ServerProcess.start({ MODEL_DIR: process.env.MODEL_DIR ?? "" });
    server.ignoreLogs();
    const rows: Array<Record<string, unknown>> = [];
    let socketErrors = 0;
    const statuses: Record<number, number> = {};
    try {
        for (let w = 0; w < windows; w++) {
            const load = await runLoad({ url: server.url, path: "/predict", connections: Number(values.connections), durationSeconds: WINDOW_SECONDS, body: mixedBody });
            for (const [status, count] of Object.entries(load.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
            socketErrors += load.errors;
            const rss = await residentBytes(server.pid);
            const row = { window: w + 1, perSecond: Math.round(Object.values(load.statuses).reduce((a, b) => a + b, 0) / WINDOW_SECONDS), okP99Ms: percentile(load.okLatencies, 99), rssMiB: Math.round(rss / 2 ** 20), rss };
            rows.push(row);
            console.log(JSON.stringify({ ...row, rss: undefined }));
        }
    } finally {
        await server.stop();
    }
    const growth = (rows[rows.length - 1].rss as number) - (rows[0].rss as number);
    const problems = [
        ...Object.keys(statuses).filter((s) => Number(s) >= 500).map((s) => `${statuses[Number(s)]} answers with status ${s}`),
        ...(socketErrors > 0 ? [`${socketErrors} requests failed at the socket`] : []),
        ...(growth > RSS_GROWTH_LIMIT ? [`resident memory grew ${Math.round(growth / 2 ** 20)} MiB after the first window`] : []),
    ];
    console.log(JSON.stringify({ windows, statuses, socketErrors, rssGrowthMiB: Math.round(growth / 2 ** 20), problems }, null, 2));
    return problems.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
});
