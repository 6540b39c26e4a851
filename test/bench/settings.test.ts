import { strict as assert } from "node:assert";
import * as path from "node:path";
import { DEFAULT_MODEL_SUBDIR, parseSettings } from "../../bench/settings";

describe("bench settings", () => {
    it("takes the full mode's defaults and the bundled model", () => {
        const s = parseSettings([], "/repo");
        assert.deepEqual([s.mode, s.rounds, s.durationSec, s.coldRuns, s.connections, s.batchSize], ["full", 3, 5, 10, 16, 128]);
        assert.equal(s.modelDir, path.join("/repo", "services", "inference", DEFAULT_MODEL_SUBDIR));
        assert.match(DEFAULT_MODEL_SUBDIR, /^models\/property-valuation\/\d+$/);
        assert.equal(s.outDir, path.join("/repo", "bench", "results"));
        assert.deepEqual(s.only, []);
    });

    it("lets flags override the short mode's defaults", () => {
        const s = parseSettings(["--mode", "short", "--duration", "0.5", "--cold-runs", "1", "--only", "raw-session, predict-single", "--out", "/tmp/x"], "/repo");
        assert.deepEqual([s.mode, s.rounds, s.durationSec, s.coldRuns, s.outDir], ["short", 1, 0.5, 1, "/tmp/x"]);
        assert.deepEqual(s.only, ["raw-session", "predict-single"]);
    });

    it("takes wrk2's executable for the open loop and names the flag when it is not one", () => {
        assert.equal(parseSettings([], "/repo").wrk2, undefined);
        assert.equal(parseSettings(["--wrk2", "/bin/sh"], "/repo").wrk2, "/bin/sh");
        assert.throws(() => parseSettings(["--wrk2", "/nonexistent/wrk"], "/repo"), /--wrk2 "\/nonexistent\/wrk" is not an executable file/);
        assert.throws(() => parseSettings(["--wrk2", "/tmp"], "/repo"), /--wrk2 "\/tmp" is not an executable file/);
    });

    it("rejects an unknown mode and non-positive numbers", () => {
        assert.throws(() => parseSettings(["--mode", "long"], "/repo"), /--mode must be full or short/);
        assert.throws(() => parseSettings(["--duration", "0"], "/repo"), /--duration must be a positive number/);
        assert.throws(() => parseSettings(["--connections", "many"], "/repo"), /--connections must be a positive number/);
    });
});
