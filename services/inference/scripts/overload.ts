// Overload check (issue 7): drive about 3× the server's measured capacity for a bounded time, loopback only.
// Passes when every answer is 200 or 503, nothing fails at the socket, the p99 of the 200s is ≤ 50 ms and
// resident memory grows by less than 64 MiB. Usage: npm run overload -w services/inference [-- --seconds 10]
import { parseArgs } from "node:util";
import { percentile, randomProperty, residentBytes, runLoad } from "./load";
import { ServerProcess } from "./server-process";

const P99_LIMIT_MS = 50;
const RSS_GROWTH_LIMIT = 64 * 2 ** 20;

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { seconds: { type: "string", default: "6" }, connections: { type: "string", default: "64" } } });
    const seconds = Number(values.seconds);
    const server = await ServerProcess.start({ MODEL_DIR: process.env.MODEL_DIR ?? "", CACHE_MAX_ENTRIES: "0", LOG_LEVEL: "info", MAX_EVENT_LOOP_DELAY_MS: process.env.MAX_EVENT_LOOP_DELAY_MS ?? "50" });
    server.ignoreLogs();
    try {
        const probe = await runLoad({ url: server.url, path: "/predict", connections: 4, durationSeconds: 3, body: randomProperty });
        const capacity = (probe.statuses[200] ?? 0) / probe.durationSeconds;
        const rssBefore = await residentBytes(server.pid);
        const load = await runLoad({ url: server.url, path: "/predict", connections: Number(values.connections), durationSeconds: seconds, overallRate: Math.ceil(3 * capacity), body: randomProperty });
        const rssAfter = await residentBytes(server.pid);
        const report = {
            capacityPerSecond: Math.round(capacity),
            capacityP99Ms: percentile(probe.okLatencies, 99),
            offeredPerSecond: Math.ceil(3 * capacity),
            seconds,
            statuses: load.statuses,
            socketErrors: load.errors,
            okP50Ms: percentile(load.okLatencies, 50),
            okP99Ms: percentile(load.okLatencies, 99),
            rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
            rssAfterMiB: Math.round(rssAfter / 2 ** 20),
        };
        const problems = [
            ...Object.keys(load.statuses).filter((s) => s !== "200" && s !== "503").map((s) => `status ${s} answered`),
            ...(load.errors > 0 ? [`${load.errors} requests failed at the socket`] : []),
            ...(report.okP99Ms > P99_LIMIT_MS ? [`p99 of the 200s is ${report.okP99Ms} ms > ${P99_LIMIT_MS} ms`] : []),
            ...(rssAfter - rssBefore > RSS_GROWTH_LIMIT ? [`resident memory grew ${Math.round((rssAfter - rssBefore) / 2 ** 20)} MiB`] : []),
        ];
        console.log(JSON.stringify({ ...report, problems }, null, 2));
        return problems.length === 0 ? 0 : 1;
    } finally {
        await server.stop();
    }
}

main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
});
