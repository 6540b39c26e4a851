/**
 * The policy pack as `pulumi policy publish` ships it and the Pulumi CLI installs it: `npm pack` of policies/,
 * the tarball extracted into a temporary folder, its package.json's dependencies installed there (from the npm
 * cache first, so it works offline once `npm ci` has run), nothing from this repository on the path.
 * Built once per test run and shared by the tests that start it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
export const POLICIES_DIR = path.resolve(__dirname, "../../policies");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export interface PublishedPack {
    /** The folder the tarball was extracted to (what the CLI runs the pack from). */
    dir: string;
    /** The temporary folder holding it, removed by `cleanup`. */
    root: string;
    /** The files the tarball contains, relative to the pack. */
    files: string[];
}

let published: Promise<PublishedPack> | undefined;
let builtRoot: string | undefined;

async function build(): Promise<PublishedPack> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    builtRoot = root;
    const env = { ...process.env, npm_config_update_notifier: "false" };
    const { stdout } = await exec(npm, ["pack", "--json", "--pack-destination", root], { cwd: POLICIES_DIR, env });
    const [{ filename, files }] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    await exec("tar", ["xzf", path.join(root, filename), "-C", root]);
    const dir = path.join(root, "package");
    // --prefer-offline: the cache `npm ci` filled is enough; the registry is asked only for what it lacks.
    await exec(npm, ["install", "--omit=dev", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
    return { dir, root, files: files.map((f) => f.path) };
}

export function publishedPack(): Promise<PublishedPack> {
    published ??= build();
    return published;
}

// The extracted pack and its node_modules are ~120 MB; removed when the test process ends.
process.once("exit", () => {
    if (builtRoot) fs.rmSync(builtRoot, { recursive: true, force: true });
});
