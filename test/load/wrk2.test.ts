import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { summarize } from "../../tools/load/load-result";
import { parseWrk2Output, runWrk2, WRK2_MIN_DURATION_SEC, wrk2Script } from "../../tools/load/wrk2";

// Recorded from wrk2 (giltene/wrk2 44a94c1) against the service on this machine: `wrk -t1 -c16 -d5s -R6000 --latency`.
const RECORDED = fs.readFileSync(path.join(__dirname, "fixtures", "wrk2-latency.txt"), "utf8");

/** The bytes a Lua string literal of decimal escapes stands for. */
function luaBytes(literal: string): Buffer {
    assert.match(literal, /^"(\\\d{1,3})*"$/);
    return Buffer.from([...literal.matchAll(/\\(\d{1,3})/g)].map((m) => Number(m[1])));
}

describe("wrk2 open loop (tools/load/wrk2.ts)", () => {
    it("reads the recorded distribution, not the spectrum, with the request total", () => {
        assert.deepEqual(parseWrk2Output(RECORDED), {
            latencyMs: { p50: 1.31, p90: 2.19, p99: 3.24 },
            requests: 29780,
            durationSec: 5,
            non2xx: 0,
            socketErrors: 0,
        });
    });

    it("converts wrk's time units and counts non-2xx answers and socket errors", () => {
        const text = RECORDED.replace(" 50.000%    1.31ms", " 50.000%  850.00us").replace(" 99.000%    3.24ms", " 99.000%    1.20s")
            .replace("  29780 requests in 5.00s", "  Socket errors: connect 0, read 1, write 0, timeout 2\n  Non-2xx or 3xx responses: 12\n  29780 requests in 5.00s");
        const report = parseWrk2Output(text);
        assert.deepEqual(report.latencyMs, { p50: 0.85, p90: 2.19, p99: 1200 });
        assert.deepEqual([report.non2xx, report.socketErrors], [12, 3]);
    });

    it("refuses output without the latency distribution, quoting it", () => {
        assert.throws(() => parseWrk2Output("Running 5s test @ http://127.0.0.1:1/\n  10 requests in 5.00s, 1KB read\n"), /no latency distribution .*--latency\?\):\nRunning 5s test/s);
    });

    it("writes a script that POSTs each body in turn, any bytes surviving Lua's string syntax", () => {
        const json = '{"square_feet":2000,"note":"quote \\" and \\\\ backslash, ünïcode"}';
        const binary = Buffer.from([0, 10, 34, 92, 255]);
        const script = wrk2Script([json, binary], { "content-type": "application/json" });
        assert.match(script, /^wrk\.method = "POST"$/m);
        const [name, value] = /^wrk\.headers\[("[^"]*")\] = ("[^"]*")$/m.exec(script)!.slice(1);
        assert.equal(luaBytes(name).toString(), "content-type");
        assert.equal(luaBytes(value).toString(), "application/json");
        const literals = /^local bodies = \{ ("[^"]*"), ("[^"]*") \}$/m.exec(script)!.slice(1);
        assert.equal(luaBytes(literals[0]).toString("utf8"), json);
        assert.deepEqual(luaBytes(literals[1]), binary);
        assert.match(script, /i = i % #bodies \+ 1\n\s+return wrk\.format\(nil, nil, nil, bodies\[i\]\)/);
        assert.throws(() => wrk2Script([], {}), /at least one request body/);
    });

    it("runs the executable with the rate, at least its calibration time, one thread, and summarizes what it printed", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-wrk2-"));
        try {
            const fake = path.join(dir, "wrk");
            const argsFile = path.join(dir, "args");
            fs.writeFileSync(fake, `#!/bin/sh\necho "$@" > ${JSON.stringify(argsFile)}\ncat ${JSON.stringify(path.join(__dirname, "fixtures", "wrk2-latency.txt"))}\n`, { mode: 0o755 });
            const result = await runWrk2({ binary: fake, url: "http://127.0.0.1:9", path: "/predict", bodies: ["{}"], connections: 16, ratePerSec: 6014.4, durationSec: 5 });
            const args = fs.readFileSync(argsFile, "utf8").trim().split(" ");
            assert.deepEqual(args.slice(0, 5), ["-t1", "-c16", `-d${WRK2_MIN_DURATION_SEC}s`, "-R6014", "--latency"]);
            assert.equal(args.at(-1), "http://127.0.0.1:9/predict");
            assert.deepEqual(summarize(result, "fake"), { requests: 29780, ok: 29780, failures: 0, duration_s: 5, throughput_rps: 5956, latency_ms: { p50: 1.31, p90: 2.19, p99: 3.24 } });

            fs.writeFileSync(fake, "#!/bin/sh\necho 'unable to connect to 127.0.0.1:9 Connection refused'\nexit 1\n", { mode: 0o755 });
            await assert.rejects(runWrk2({ binary: fake, url: "http://127.0.0.1:9", path: "/", bodies: ["{}"], connections: 1, ratePerSec: 1, durationSec: 1 }), /wrk2 exited with 1: unable to connect/);
            await assert.rejects(runWrk2({ binary: path.join(dir, "missing"), url: "http://127.0.0.1:9", path: "/", bodies: ["{}"], connections: 1, ratePerSec: 1, durationSec: 1 }), /cannot run wrk2 at .*missing/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("sends load to loopback only", async () => {
        await assert.rejects(runWrk2({ binary: "/bin/true", url: "http://example.com", path: "/", bodies: ["{}"], connections: 1, ratePerSec: 1, durationSec: 1 }), /only ever sent to loopback/);
    });
});
