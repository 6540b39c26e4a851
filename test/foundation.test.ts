import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import semver from "semver";

const root = path.resolve(__dirname, "..");

describe("project foundation", () => {
    it("pins typescript to 5.9 because @pulumi/pulumi rejects 7 and npm then loops forever", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.match(pkg.devDependencies.typescript, /^5\.9\./);
    });

    it("reviews every locked install script and denies onnxruntime-node's, a CUDA download from outside the npm registry", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const allowScripts: Record<string, boolean> = pkg.allowScripts ?? {};
        const reviewed = new Set(Object.keys(allowScripts).map((key) => key.replace(/(.)@.*$/, "$1")));
        const withScripts = lockedPackages().filter(({ entry }) => entry.hasInstallScript).map(({ name }) => name);
        assert.ok(withScripts.includes("onnxruntime-node"), "onnxruntime-node has an install script in the lockfile");
        assert.deepEqual(withScripts.filter((name) => !reviewed.has(name)), [], "add them to package.json allowScripts (npm install-scripts approve|deny)");
        assert.equal(allowScripts["onnxruntime-node"], false);
    });

    it("runs no dependency install script on any npm (.npmrc ignore-scripts), so the project keeps no pre/post script npm would skip", () => {
        const npmrc = fs.readFileSync(path.join(root, ".npmrc"), "utf8");
        assert.match(npmrc, /^ignore-scripts=true$/m);
        const manifests = ["package.json", "services/inference/package.json", "policies/package.json"];
        const skipped = manifests.flatMap((file) => Object.keys(JSON.parse(fs.readFileSync(path.join(root, file), "utf8")).scripts ?? {})
            .filter((name) => /^(pre|post)/.test(name)).map((name) => `${file}: ${name}`));
        assert.deepEqual(skipped, []);
    });

    it("locks only packages whose engines accept the project's oldest Node, so npm ci prints no EBADENGINE", () => {
        const oldestNode = semver.minVersion(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node);
        assert.ok(oldestNode);
        const refusing = lockedPackages()
            .filter(({ entry }) => entry.engines?.node && !semver.satisfies(oldestNode, entry.engines.node))
            .map(({ name, entry }) => `${name}@${entry.version} needs node ${entry.engines?.node}`);
        assert.deepEqual(refusing, []);
    });

    it("has no npm configuration npm does not know (npm warns on every command and the next major ignores it)", () => {
        // Only the project's own configuration: empty user and global npmrc files instead of the machine's, and none of
        // the npm_config_* variables a parent npm (npm test) passes down from them.
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "npmrc-"));
        try {
            for (const file of ["user", "global"]) fs.writeFileSync(path.join(empty, file), "");
            const npm = spawnSync("npm", ["pkg", "get", "name"], {
                cwd: root,
                encoding: "utf8",
                env: {
                    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
                    npm_config_userconfig: path.join(empty, "user"),
                    npm_config_globalconfig: path.join(empty, "global"),
                },
            });
            assert.equal(npm.status, 0, npm.stderr);
            assert.deepEqual(npm.stderr.split("\n").filter((line) => /^npm warn/i.test(line)), []);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

interface LockedPackage {
    version?: string;
    hasInstallScript?: boolean;
    engines?: { node?: string };
}

/** Every installed package of the lockfile (not the workspaces' own entries), by package name. */
function lockedPackages(): { name: string; entry: LockedPackage }[] {
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    return Object.entries<LockedPackage>(lock.packages)
        .filter(([location]) => location.includes("node_modules/"))
        .map(([location, entry]) => ({ name: location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length), entry }));
}
