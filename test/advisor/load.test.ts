import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, loadBench, loadPrices, loadProfile } from "../../advisor/load";
import { PRICES } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "advisor-load-"));
function file(name: string, content: unknown): string {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
}
const valid = {
    rps_by_hour: new Array<number>(168).fill(1),
    payload_bytes: 100,
    latency_slo_ms_p99: 200,
    region: { aws: "test-aws-1" },
};
function rejects(load: () => unknown, message: RegExp): void {
    assert.throws(load, (e: unknown) => e instanceof InputError && message.test(e.message));
}

describe("advisor input validation", () => {
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("accepts a valid profile", () => {
        assert.equal(loadProfile(file("ok.json", valid), PRICES).payload_bytes, 100);
    });

    it("names the field and the rule when a profile has 24 hours instead of 168", () => {
        rejects(() => loadProfile(file("short.json", { ...valid, rps_by_hour: [1, 2, 3] }), PRICES), /short\.json: rps_by_hour must NOT have fewer than 168 items/);
    });

    it("points at the hour that is negative", () => {
        const rps = [...valid.rps_by_hour];
        rps[5] = -1;
        rejects(() => loadProfile(file("neg.json", { ...valid, rps_by_hour: rps }), PRICES), /rps_by_hour\[5\] must be >= 0/);
    });

    it("lists every missing or unknown field at once", () => {
        const { payload_bytes: _dropped, ...rest } = valid;
        rejects(() => loadProfile(file("missing.json", { ...rest, rps: 3 }), PRICES), /payload_bytes is required; rps is not a known field/);
    });

    it("rejects a region the price table has no prices for, naming the regions it has", () => {
        rejects(() => loadProfile(file("region.json", { ...valid, region: { aws: "eu-west-9" } }), PRICES), /region\.aws "eu-west-9" has no prices .*\(it has: test-aws-1\)/);
    });

    it("rejects a time zone that is not an IANA zone", () => {
        rejects(() => loadProfile(file("tz.json", { ...valid, time_zone: "Mars/Olympus" }), PRICES), /time_zone "Mars\/Olympus" is not an IANA time zone/);
    });

    it("reports a file that is not JSON, and one that does not exist", () => {
        rejects(() => loadProfile(file("bad.json", "{ rps: "), PRICES), /profile .*bad\.json is not valid JSON/);
        rejects(() => loadProfile(join(dir, "absent.json"), PRICES), /profile file not found: .*absent\.json/);
    });

    it("requires a predict-single case in benchmark results", () => {
        const bench = {
            measured_at: "2026-01-01", machine: { cpus: 2 },
            cases: [{ name: "predict-batch", throughput_rps: 1, latency_ms: { p50: 1, p99: 2 }, peak_rss_mb: 1 }],
            cold_start_ms: { server: { median: 1 }, lambda: { median: 1 } },
        };
        rejects(() => loadBench(file("bench.json", bench)), /benchmark results .*cases must contain a predict-single case/);
    });

    it("requires every price to cite an https source", () => {
        const prices = JSON.parse(JSON.stringify(PRICES));
        prices.aws["test-aws-1"].lambda_request.source = "somewhere";
        rejects(() => loadPrices(file("prices.json", prices)), /aws\.test-aws-1\.lambda_request\.source must match pattern/);
    });

    it("accepts the shipped price table and the fixture benchmark results", () => {
        assert.match(loadPrices(join(__dirname, "../../advisor/prices.json")).as_of, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(loadBench(join(__dirname, "fixtures/bench-results.json")).machine.cpus, 2);
    });
});
