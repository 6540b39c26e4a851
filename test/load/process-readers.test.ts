import { strict as assert } from "node:assert";
import { processCpuMs } from "../../tools/load/cpu";
import { processMemory } from "../../tools/load/memory";

describe("load tools: /proc readers", () => {
    it("reads a process's CPU time, which grows while it computes", () => {
        const before = processCpuMs(process.pid);
        const until = Date.now() + 120;
        let spin = 0;
        while (Date.now() < until) spin++;
        assert.ok(spin > 0);
        const after = processCpuMs(process.pid);
        assert.ok(before > 0, `before ${before}`);
        assert.ok(after - before >= 50, `spent ${after - before} ms of CPU in a 120 ms busy loop`);
    });

    it("reads resident memory now and its high-water mark", () => {
        const { rssBytes, peakRssBytes } = processMemory(process.pid);
        assert.ok(rssBytes > 10 * 2 ** 20 && peakRssBytes >= rssBytes, `${rssBytes} / ${peakRssBytes}`);
    });

    it("names the process it cannot read", () => {
        assert.throws(() => processCpuMs(2 ** 30), /ENOENT/);
    });
});
