import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(__dirname, "../..");
const tsx = join(repo, "node_modules/.bin/tsx");
const cli = join(repo, "advisor/cli.ts");
const fixtureBench = join(__dirname, "fixtures/bench-results.json");

const scratch = mkdtempSync(join(tmpdir(), "advise-cli-"));
const folder = (name: string): string => mkdtempSync(join(scratch, name));

/** Runs the CLI from an empty folder, so the default bench/results/latest.json is never there. */
function advise(...args: string[]) {
    return spawnSync(tsx, [cli, ...args], { cwd: folder("cwd-"), encoding: "utf8", timeout: 60_000 });
}

describe("advise CLI", function () {
    this.timeout(90_000);
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("prints the table and recommendation, and writes the chart as SVG", () => {
        const out = folder("out-");
        const run = advise("--profile", join(repo, "advisor/profiles/proptech-peaks.json"), "--bench", fixtureBench, "--out", out);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /\| backend +\| region +\| monthly cost/);
        assert.match(run.stdout, /\| hybrid-gke-cloud-run +\| gcp us-central1/);
        assert.match(run.stdout, /^Recommendation: [a-z-]+: /m);
        const svg = readFileSync(join(out, "proptech-peaks.svg"), "utf8");
        assert.match(svg, /^<svg /);
        assert.match(svg, /Cost per hour/);
    });

    it("prints machine-readable JSON with --json", () => {
        const out = folder("out-");
        const run = advise("--profile", join(repo, "advisor/profiles/steady-high.json"), "--bench", fixtureBench, "--out", out, "--json");
        assert.equal(run.status, 0, run.stderr);
        const advice = JSON.parse(run.stdout);
        assert.equal(advice.estimates.length, 8);
        assert.equal(advice.estimates[0].hours.length, 168);
        assert.ok(advice.estimates.some((e: { backend: string }) => e.backend === advice.recommendation.backend));
        assert.ok(existsSync(advice.chart));
    });

    it("exits 2 with the field and the rule for a malformed profile, without a stack trace", () => {
        const dir = folder("bad-");
        const profile = join(dir, "bad.json");
        writeFileSync(profile, JSON.stringify({ rps_by_hour: [1], payload_bytes: "big", latency_slo_ms_p99: 100, region: { aws: "us-east-1" } }));
        const run = advise("--profile", profile, "--bench", fixtureBench);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /^advise: profile .*bad\.json: rps_by_hour must NOT have fewer than 168 items; payload_bytes must be integer/);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
    });

    it("exits 2 and says how to get benchmark results when there are none", () => {
        const run = advise("--profile", join(repo, "advisor/profiles/steady-high.json"));
        assert.equal(run.status, 2);
        assert.match(run.stderr, /advise: no benchmark results at bench\/results\/latest\.json: .* or pass --bench <file>/);
    });

    it("exits 2 on a missing --profile and on an unknown option", () => {
        assert.equal(advise().status, 2);
        const unknown = advise("--profil", "x.json");
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /advise: Unknown option '--profil'/);
    });
});
