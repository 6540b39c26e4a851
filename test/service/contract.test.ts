import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../services/inference/src/config";
import { SERVICE_ENV, SERVICE_ENV_NAMES, variableProblem } from "../../services/inference/src/contract";
import { parseOverflowConfig } from "../../services/inference/src/overflow";

const ROOT = path.resolve(__dirname, "..", "..");

describe("service contract (contract.ts)", () => {
    it("refuses exponent, hex, signed and fractional integers in both the service config and the overflow config", () => {
        for (const raw of ["1e3", "0x10", "+5", "-1", "1.0", "5 requests"]) {
            assert.throws(() => parseConfig({ MAX_QUEUE_LENGTH: raw }), new RegExp(`MAX_QUEUE_LENGTH=${JSON.stringify(raw).replace(/[.+]/g, "\\$&")} must be an integer from 1 to 100000`));
            assert.throws(() => parseOverflowConfig({ OVERFLOW_URL: "http://o.example", OVERFLOW_TIMEOUT_MS: raw }, 64), /OVERFLOW_TIMEOUT_MS=.* must be an integer from 1 to 600000/);
        }
        assert.equal(parseConfig({ MAX_QUEUE_LENGTH: " 1000 " }).maxQueueLength, 1000);
    });

    it("names every variable once", () => {
        assert.equal(new Set(SERVICE_ENV_NAMES).size, SERVICE_ENV_NAMES.length);
    });

    it("validates a stack's value the way the service will parse it", () => {
        assert.equal(variableProblem(SERVICE_ENV.logLevel, "debug"), undefined);
        assert.equal(variableProblem(SERVICE_ENV.logLevel, "loud"), 'LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent');
        assert.equal(variableProblem(SERVICE_ENV.ortIntraOpThreads, "300"), 'ORT_INTRA_OP_THREADS="300" must be an integer from 0 to 256');
    });

    it("is listed exactly in docs/service.md's configuration table, so the docs cannot drift from what the service reads", () => {
        const page = fs.readFileSync(path.join(ROOT, "docs", "service.md"), "utf8");
        const table = page.slice(page.indexOf("**Configuration**"));
        const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]);
        assert.deepEqual([...documented].sort(), [...SERVICE_ENV_NAMES].sort());
    });

    it("is imported by the service without any runtime dependency, so components/ can import it too", () => {
        const source = fs.readFileSync(path.join(ROOT, "services", "inference", "src", "contract.ts"), "utf8");
        assert.deepEqual([...source.matchAll(/^import .* from "([^"]+)"/gm)].map((m) => m[1]), []);
        assert.doesNotMatch(source, /require\(/);
    });
});
