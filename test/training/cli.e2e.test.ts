import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../../training/cli";
import { DataError } from "../../training/csv";
import { evaluateCommand } from "../../training/evaluate";
import { trainCommand } from "../../training/train";
import { syntheticSales, toKingCountyCsv } from "./synthetic";

const repo = path.resolve(__dirname, "..", "..");

function run(script: "train" | "evaluate", args: string[]) {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(repo, "training", `${script}.ts`), ...args],
        { cwd: repo, encoding: "utf8", timeout: 240_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertCleanFailure(r: ReturnType<typeof run>, pattern: RegExp) {
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
}

describe("model:train and model:evaluate command lines", function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "valuation-cli-"));
    const csv = path.join(dir, "sales.csv");
    const good = toKingCountyCsv(syntheticSales({ n: 1500, seed: 5 }));
    // Three unusable rows: unknown zipcode, a bad date, a missing price.
    const lines = good.trimEnd().split("\n");
    const bad = [
        lines[1].replace(/,98\d{3},/, ",99999,"),
        lines[2].replace(/,\d{8}T000000,/, ",2014-13-45,"),
        lines[3].split(",").map((v, i) => (i === 2 ? "" : v)).join(","),
    ];
    fs.writeFileSync(csv, [...lines, ...bad].join("\n") + "\n");
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("evaluate --json prints exactly one JSON object with the six keys, and reports skipped rows", () => {
        const r = run("evaluate", ["--data", csv, "--json"]);
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(out), ["n", "mae", "mape", "r2", "coverage", "mean_width"]);
        assert.equal(out.n, 1500);
        assert.ok(out.mape > 0 && out.mape < 1 && out.coverage >= 0 && out.coverage <= 1);
        assert.match(r.stderr, /skipped 3 row\(s\)/);
        assert.match(r.stderr, /1 × zipcode: not in the model's location_scores table/);
        assert.match(r.stderr, /1 × date: not a YYYYMMDDT000000 date/);
        assert.match(r.stderr, /1 × price: missing or not a positive number/);
    });

    it("evaluate --inputs seed scores the five required inputs only, with the same JSON keys", () => {
        const full = JSON.parse(run("evaluate", ["--data", csv, "--json"]).stdout);
        const r = run("evaluate", ["--data", csv, "--json", "--inputs", "seed"]);
        assert.equal(r.status, 0, r.stderr);
        const seed = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(seed), ["n", "mae", "mape", "r2", "coverage", "mean_width"]);
        assert.equal(seed.n, full.n);
        assert.notEqual(seed.mae, full.mae, "the optional inputs change the estimates");
    });

    it("evaluate prints n, MAE, MAPE, R², coverage and mean width in text mode", () => {
        const r = run("evaluate", ["--data", csv]);
        assert.equal(r.status, 0, r.stderr);
        for (const label of ["n ", "MAE", "MAPE", "R²", "coverage", "mean width", "includes the sales the model was fitted on"]) {
            assert.ok(r.stdout.includes(label), label);
        }
    });

    it("bad input: exit code 2, one clear line naming the flag or column, no stack trace", () => {
        assertCleanFailure(run("evaluate", ["--data", csv, "--split", "holdout"]), /--split must be one of all, train, validation, calibration, test/);
        assertCleanFailure(run("evaluate", ["--data", csv, "--inputs", "some"]), /--inputs must be one of full, seed/);
        const noZip = path.join(dir, "nozip.csv");
        fs.writeFileSync(noZip, "id,date,price,bedrooms,bathrooms,sqft_living\n1,20141013T000000,1,1,1,1\n");
        const r = run("train", ["--data", noZip]);
        assertCleanFailure(r, /missing column\(s\) zipcode/);
        assert.equal(r.status, 2);
    });

    it("names the flag or the problem for every kind of bad input", async () => {
        const rejects = (p: Promise<void>, error: typeof UsageError | typeof DataError, pattern: RegExp) =>
            assert.rejects(p, (err: Error) => err instanceof error && pattern.test(err.message));
        await rejects(evaluateCommand([]), UsageError, /--data is required/);
        await rejects(evaluateCommand(["--data", csv, "--bogus"]), UsageError, /Unknown option '--bogus'/);
        await rejects(evaluateCommand(["--data", path.join(dir, "nope.csv")]), DataError, /--data .*nope\.csv: cannot read file \(ENOENT\)/);
        await rejects(evaluateCommand(["--data", csv, "--model", dir]), DataError, /--model .*: cannot read metadata\.json/);
        await rejects(evaluateCommand(["--data", csv, "--baseline", dir]), DataError, /--baseline .*: cannot read metadata\.json/);
        await rejects(trainCommand(["--data", csv, "--max-trees", "lots"]), UsageError, /--max-trees must be an integer from 10 to 5000, got "lots"/);
        await rejects(trainCommand(["--data", csv, "--seed=-1"]), UsageError, /--seed must be an integer from 0 to 2147483647/);
        await rejects(trainCommand(["--data", csv, "--grid", "huge"]), UsageError, /--grid must be one of full, quick/);
        const tiny = path.join(dir, "tiny.csv");
        fs.writeFileSync(tiny, lines.slice(0, 51).join("\n") + "\n");
        await rejects(trainCommand(["--data", tiny, "--out", path.join(dir, "tiny-model")]), DataError, /50 usable sales; training needs at least 200/);
    });

    it("trains a model from a CSV and evaluates that model on its own holdout", () => {
        const out = path.join(dir, "model");
        const t = run("train", ["--data", csv, "--out", out, "--grid", "quick", "--max-trees", "60", "--seed", "3"]);
        assert.equal(t.status, 0, t.stderr);
        assert.match(t.stdout, /holdout \(test, n=\d+, full record: every input\): MAE/);
        assert.match(t.stdout, /holdout \(test, n=\d+, seed: the five required inputs, optional ones NaN\): MAE/);
        for (const file of ["model.onnx", "metadata.json", "README.md"]) assert.ok(fs.existsSync(path.join(out, file)), file);
        const metadata = JSON.parse(fs.readFileSync(path.join(out, "metadata.json"), "utf8"));
        const e = run("evaluate", ["--data", csv, "--model", out, "--split", "test", "--json"]);
        assert.equal(e.status, 0, e.stderr);
        const result = JSON.parse(e.stdout);
        assert.equal(result.n, metadata.metrics.n);
        assert.ok(Math.abs(result.mae - metadata.metrics.mae) <= 1, `${result.mae} vs ${metadata.metrics.mae}`);
        assert.ok(Math.abs(result.coverage - metadata.metrics.coverage) <= 1e-4);
        const seed = run("evaluate", ["--data", csv, "--model", out, "--split", "test", "--inputs", "seed", "--json"]);
        assert.equal(seed.status, 0, seed.stderr);
        assert.ok(Math.abs(JSON.parse(seed.stdout).mae - metadata.seed_metrics.mae) <= 1, "--inputs seed reproduces the five-input holdout");

        // --baseline: the model against itself differs by nothing, in JSON and in words.
        const self = run("evaluate", ["--data", csv, "--model", out, "--split", "test", "--baseline", out, "--json"]);
        assert.equal(self.status, 0, self.stderr);
        const compared = JSON.parse(self.stdout);
        assert.deepEqual(Object.keys(compared), ["n", "mae", "mape", "r2", "coverage", "mean_width", "baseline"]);
        assert.deepEqual({ ...compared.baseline, candidate_mae: 0, baseline_mae: 0 }, { n: result.n, candidate_mae: 0, baseline_mae: 0, mae_difference: 0, mae_difference_ci95: [0, 0] });
        const words = run("evaluate", ["--data", csv, "--model", out, "--split", "test", "--baseline", out]);
        assert.match(words.stdout, /difference +\+?\$0 \(0\.00%\), 95% interval \[\$0, \$0\]: these sales cannot tell the two apart/);
        // Another split seed means other test sales: refused, naming both seeds.
        const resplit = path.join(dir, "resplit");
        fs.cpSync(out, resplit, { recursive: true });
        fs.writeFileSync(path.join(resplit, "metadata.json"), JSON.stringify({ ...metadata, training: { ...metadata.training, split: { ...metadata.training.split, seed: 7 } } }));
        assertCleanFailure(run("evaluate", ["--data", csv, "--model", out, "--split", "test", "--baseline", resplit]),
            /--baseline .*resplit splits sales with seed 7 and --model with seed \d+: their "test" parts are different sales/);
    });
});
