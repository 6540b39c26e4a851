// Overload check (issue 7): offer about 3× the server's measured capacity for a bounded time, loopback only.
// Latency is measured as the bench measures it (tools/load): an open loop at a steady rate, each request's
// latency counted from its scheduled send time, the server on core 1 and the load generator on core 0.
// Passes when every answer is 200 or 503, nothing fails at the socket, the p99 of the 200s is ≤ 50 ms and
// resident memory grows by less than 64 MiB. Usage: npm run overload -w services/inference [-- --seconds 10]
import * as os from "node:os";
import { parseArgs } from "node:util";
import { loadMetadata, predictBodyStream } from "../../../tools/load/bodies";
import { runLoad } from "../../../tools/load/generator";
import { okCount } from "../../../tools/load/load-result";
import { MIB, processMemory } from "../../../tools/load/memory";
import { ServerProcess } from "../../../tools/load/server-process";
import { percentile, round } from "../../../tools/load/stats";
import { DEFAULT_MODEL_DIR } from "../src/config";

const P99_LIMIT_MS = 50;
const RSS_GROWTH_LIMIT = 64 * MIB;
/** The generator is behind its schedule by more than this at p99: latencies then include its own lag. */
const GENERATOR_LAG_LIMIT_MS = 5;

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { seconds: { type: "string", default: "6" }, connections: { type: "string", default: "64" } } });
    const seconds = Number(values.seconds);
    const [serverCpus, generatorCpus] = os.cpus().length >= 2 ? ["1", "0"] : [undefined, undefined];
    const modelDir = process.env.MODEL_DIR || DEFAULT_MODEL_DIR;
    const env = { MODEL_DIR: modelDir, CACHE_MAX_ENTRIES: "0", LOG_LEVEL: "info", MAX_EVENT_LOOP_DELAY_MS: process.env.MAX_EVENT_LOOP_DELAY_MS ?? "50", ...(serverCpus ? { ORT_INTRA_OP_THREADS: "1" } : {}) };
    const server = await ServerProcess.start(env, serverCpus);
    server.ignoreLogs();
    // Pinned runs take bodies as a list (they cross a process boundary): enough distinct ones that the cache, were it on, would rarely hit.
    const next = predictBodyStream(loadMetadata(modelDir));
    const bodies = Array.from({ length: 4096 }, next);
    try {
        const probe = await runLoad({ loop: "closed", url: server.url, path: "/predict", bodies, connections: 4, durationSec: 3 }, generatorCpus);
        const capacity = okCount(probe) / probe.durationSec;
        const offered = Math.ceil(3 * capacity);
        const rssBefore = processMemory(server.pid).rssBytes;
        const load = await runLoad({ loop: "open", url: server.url, path: "/predict", bodies, connections: Number(values.connections), ratePerSec: offered, durationSec: seconds }, generatorCpus);
        const rssAfter = processMemory(server.pid).rssBytes;
        const ok = load.okLatenciesMs.length;
        const report = {
            layout: serverCpus ? `server taskset -c ${serverCpus}, generator taskset -c ${generatorCpus}` : "one core: server and generator share it",
            loadAverage: os.loadavg().map((l) => round(l)),
            capacityPerSecond: Math.round(capacity),
            offeredPerSecond: offered,
            seconds,
            statuses: load.statuses,
            socketErrors: load.errors,
            okP50Ms: ok > 0 ? round(percentile(load.okLatenciesMs, 50)) : null,
            okP99Ms: ok > 0 ? round(percentile(load.okLatenciesMs, 99)) : null,
            generatorLagP99Ms: round(load.sendLagP99Ms ?? 0),
            rssBeforeMiB: Math.round(rssBefore / MIB),
            rssAfterMiB: Math.round(rssAfter / MIB),
        };
        const problems = [
            ...Object.keys(load.statuses).filter((s) => s !== "200" && s !== "503").map((s) => `status ${s} answered`),
            ...(load.errors > 0 ? [`${load.errors} requests failed at the socket`] : []),
            ...(report.okP99Ms === null ? ["no request was accepted"] : report.okP99Ms > P99_LIMIT_MS ? [`p99 of the 200s is ${report.okP99Ms} ms > ${P99_LIMIT_MS} ms`] : []),
            ...(rssAfter - rssBefore > RSS_GROWTH_LIMIT ? [`resident memory grew ${Math.round((rssAfter - rssBefore) / MIB)} MiB`] : []),
        ];
        const warnings = report.generatorLagP99Ms > GENERATOR_LAG_LIMIT_MS ? [`the generator ran p99 ${report.generatorLagP99Ms} ms behind its schedule: latencies include its lag`] : [];
        console.log(JSON.stringify({ ...report, problems, warnings }, null, 2));
        return problems.length === 0 ? 0 : 1;
    } finally {
        await server.stop();
    }
}

main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
});
