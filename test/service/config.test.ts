import { strict as assert } from "node:assert";
import * as path from "node:path";
import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../../services/inference/src/config";

describe("service configuration (parseConfig)", () => {
    it("uses the documented defaults when nothing is set, with the bundled model as MODEL_DIR", () => {
        const config = parseConfig({});
        assert.deepEqual(config, DEFAULT_CONFIG);
        assert.equal(config.port, 8080);
        assert.ok(config.modelDir.endsWith(path.join("services", "inference", "models", "property-valuation", "1")));
    });

    it("reads every variable the Pulumi components set", () => {
        const config = parseConfig({
            PORT: "9000", MODEL_DIR: "/models/m", LOG_LEVEL: "warn", SHUTDOWN_GRACE_SECONDS: "25", PREDICT_MAX_BATCH: "64",
            CACHE_MAX_ENTRIES: "0", CACHE_TTL_SECONDS: "60", BODY_LIMIT_BYTES: "65536",
            MAX_QUEUE_LENGTH: "8", MAX_EVENT_LOOP_DELAY_MS: "0", REQUEST_TIMEOUT_SECONDS: "5",
        });
        assert.deepEqual([config.maxQueueLength, config.maxEventLoopDelayMs, config.requestTimeoutSeconds], [8, 0, 5]);
        assert.deepEqual(
            [config.port, config.modelDir, config.logLevel, config.shutdownGraceSeconds, config.predictMaxBatch, config.cacheMaxEntries, config.cacheTtlSeconds, config.bodyLimitBytes],
            [9000, "/models/m", "warn", 25, 64, 0, 60, 65536],
        );
    });

    it("reports every bad variable at once, naming it and the values it accepts", () => {
        assert.throws(
            () => parseConfig({ PORT: "http", PREDICT_MAX_BATCH: "-1", LOG_LEVEL: "loud", CACHE_TTL_SECONDS: "1.5" }),
            (error: unknown) => {
                assert.ok(error instanceof ConfigError);
                assert.equal(error.problems.length, 4);
                assert.match(error.message, /PORT="http" must be an integer from 0 to 65535/);
                assert.match(error.message, /PREDICT_MAX_BATCH="-1" must be an integer from 1 to 100000/);
                assert.match(error.message, /LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent/);
                assert.match(error.message, /CACHE_TTL_SECONDS="1.5"/);
                return true;
            },
        );
    });

    it("treats empty variables as unset", () => {
        assert.deepEqual(parseConfig({ PORT: "", LOG_LEVEL: " " }), DEFAULT_CONFIG);
    });
});
