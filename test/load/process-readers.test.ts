import { strict as assert } from "node:assert";
import { processCpuMs } from "../../tools/load/cpu";
import { processMemory } from "../../tools/load/memory";

describe("load tools: /proc readers", () => {
    it("reads a process's CPU time as node itself counts it, to /proc's 10 ms resolution", () => {
        const before = processCpuMs(process.pid);
        const nodeBefore = process.cpuUsage();
        // Busy until node says 100 ms of CPU went by, however long a loaded machine makes that take.
        const spent = (): number => {
            const { user, system } = process.cpuUsage(nodeBefore);
            return (user + system) / 1000;
        };
        while (spent() < 100);
        const delta = processCpuMs(process.pid) - before;
        assert.ok(before > 0, `before ${before}`);
        assert.ok(Math.abs(delta - spent()) <= 30, `/proc says ${delta} ms, node says ${spent()} ms`);
    });

    it("reads resident memory now and its high-water mark", () => {
        const { rssBytes, peakRssBytes } = processMemory(process.pid);
        assert.ok(rssBytes > 10 * 2 ** 20 && peakRssBytes >= rssBytes, `${rssBytes} / ${peakRssBytes}`);
    });

    it("names the process it cannot read", () => {
        assert.throws(() => processCpuMs(2 ** 30), /ENOENT/);
    });
});
