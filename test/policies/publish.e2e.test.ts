import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { policies } from "../../policies/pack";
import { AnalyzerServer, startAnalyzerServer } from "./analyzer-server";
import { resource } from "./harness";
import { POLICIES_DIR, publishedPack } from "./published-pack";

const exec = promisify(execFile);

/** Every relative import or `extends` under policies/, resolved, that leaves the folder. */
function importsOutside(dir: string): string[] {
    const escapes: string[] = [];
    const walk = (folder: string) => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
            if (entry.name === "node_modules") continue;
            const file = path.join(folder, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (/\.(ts|json)$/.test(entry.name)) {
                const text = fs.readFileSync(file, "utf8");
                for (const [, spec] of text.matchAll(/(?:from\s+|import\(|require\(|"extends":\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
                    if (path.relative(dir, path.resolve(folder, spec)).startsWith("..")) escapes.push(`${path.relative(dir, file)} → ${spec}`);
                }
            }
        }
    };
    walk(dir);
    return escapes;
}

describe("the policy pack is publishable on its own", function () {
    // npm pack + install from the npm cache, then run-policy-pack type-checking the pack: tens of seconds.
    this.timeout(300_000);
    let server: AnalyzerServer | undefined;
    after(() => server?.stop());

    it("imports and extends nothing outside policies/", () => {
        assert.deepEqual(importsOutside(POLICIES_DIR), []);
        const tsconfig = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "tsconfig.json"), "utf8"));
        assert.equal(tsconfig.extends, undefined, "the pack's tsconfig stands alone");
    });

    it("declares TypeScript, ts-node and every runtime dependency in its own package.json", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
        // Without its own TypeScript, run-policy-pack falls back to its vendored TypeScript 3.8, which rejects the pack.
        assert.equal(pkg.dependencies.typescript, "5.9.3");
        assert.ok(pkg.dependencies["ts-node"] && pkg.dependencies["@types/node"]);
        const used = new Set<string>();
        const walk = (folder: string) => fs.readdirSync(folder, { withFileTypes: true }).forEach((e) => {
            if (e.name === "node_modules") return;
            if (e.isDirectory()) return walk(path.join(folder, e.name));
            if (!e.name.endsWith(".ts")) return;
            for (const [, spec] of fs.readFileSync(path.join(folder, e.name), "utf8").matchAll(/from\s+["']([^."'][^"']*)["']/g)) {
                used.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
            }
        });
        walk(POLICIES_DIR);
        used.forEach((name) => name.startsWith("node:") && used.delete(name));
        assert.deepEqual([...used].filter((name) => !pkg.dependencies[name]).sort(), []);
    });

    it("packs with npm, installs from its tarball and serves every policy over gRPC through run-policy-pack", async () => {
        const pack = await publishedPack();
        for (const file of ["index.ts", "pack.ts", "PulumiPolicy.yaml", "package.json", "tsconfig.json", "platform/regions.ts"]) {
            assert.ok(pack.files.includes(file), `the tarball contains ${file}`);
        }
        assert.ok(!fs.existsSync(path.join(pack.dir, "..", "components")), "nothing from the program sits beside the pack");
        server = await startAnalyzerServer(pack.dir);
        const info = await server.info();
        assert.equal(info.getName(), "model-serving");
        assert.deepEqual(info.getPoliciesList().map((p) => p.getName()), policies.map((p) => p.name));
    });

    it("refuses, in the served pack, a config key its schema does not declare, naming the nearest key", async () => {
        assert.ok(server, "started by the previous test");
        const typo = Object.fromEntries(policies.map((p) => [p.name, { enforcementLevel: "mandatory" as const, properties: {} as Record<string, unknown> }]));
        typo["data-residency"].properties = { residency: "eu", allowedRegions: [], allowedRegion: ["europe-west4"] };
        await server.configure(typo);
        await assert.rejects(server.analyze([resource("gcp:storage/bucket:Bucket", "models", { location: "EU" })]),
            /data-residency.*"allowedRegion" is not a setting of data-residency; did you mean "allowedRegions"\?/s);
    });

    it("loads from a copy of policies/ alone, with only the dependencies its package.json installs", async () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "policy-copy-"));
        try {
            fs.cpSync(POLICIES_DIR, path.join(copy, "policies"), { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
            fs.symlinkSync(path.join((await publishedPack()).dir, "node_modules"), path.join(copy, "policies", "node_modules"), "dir");
            // tsx only transpiles (fast); run-policy-pack's type-check of the same files is the test above.
            const load = "const { policies, packName } = require('./pack.ts'); console.log(packName, policies.length)";
            const { stdout } = await exec(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", load], { cwd: path.join(copy, "policies") });
            assert.equal(stdout.trim(), `model-serving ${policies.length}`);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});
