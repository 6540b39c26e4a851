// dist/load-bundle.cjs: runs an esbuild bundle of the service (dist/<entry>.bundle.js) with the V8 code cache the
// build wrote beside it (<entry>.bundle.js.cache), so a cold start deserializes compiled code instead of parsing
// and compiling ~1 MB of JavaScript and the functions the start-up runs (docs/performance.md). Node 20 has no
// module.enableCompileCache; this is its equivalent for one file. V8 refuses a cache from another V8 version,
// other flags or another source, and the bundle is then compiled as usual: never wrong, at worst not faster.
// CODE_CACHE_WRITE=1 (build time only, scripts/bundle.mjs) writes the cache after the first answer instead.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

/** Loads dist/<entry>.bundle.js as a CommonJS module and returns its exports. */
module.exports = function loadBundle(entry) {
    const file = path.join(__dirname, `${entry}.bundle.js`);
    const cacheFile = `${file}.cache`;
    const writing = process.env.CODE_CACHE_WRITE === "1";
    const cachedData = !writing && fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
    const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), {
        filename: file,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const bundle = new Module(file, module);
    bundle.filename = file;
    bundle.paths = Module._nodeModulePaths(__dirname);
    // For the bench's start-up breakdown (tools/load/startup-marks.cjs): was the cache there, and did V8 take it?
    globalThis.__codeCache = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "used";
    if (writing) globalThis.__writeCodeCache = () => fs.writeFileSync(cacheFile, script.createCachedData());
    script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
    bundle.loaded = true;
    return bundle.exports;
};
