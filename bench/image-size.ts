// What each stage of services/inference/Dockerfile adds to the image, computed without a container engine: the
// production dependency tree on disk (`npm ls --omit=dev -w services/inference`, onnxruntime-node's binaries for
// other platforms left out as the deps stage removes them), the build output and the models. The base images
// (node:20-bookworm-slim, public.ecr.aws/lambda/nodejs:20) come on top and are not measured here.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface ImageSize {
    /** MB each stage copies into the final images. */
    deps_node_modules_mb: number;
    dist_mb: number;
    models_mb: number;
    /** What the server and Lambda stages add to their base image. */
    added_to_base_mb: number;
    packages: number;
    /** The five largest production packages, MB. */
    largest: Array<{ name: string; mb: number }>;
}

const MB = 1e6;

/** Bytes of the files under `dir`, leaving out nested node_modules (listed as packages of their own) and `skip`. */
function bytesUnder(dir: string, skip: (file: string) => boolean = () => false): number {
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (skip(file)) continue;
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules") total += bytesUnder(file, skip);
        } else if (entry.isFile()) {
            total += fs.statSync(file).size;
        }
    }
    return total;
}

/** onnxruntime-node ships every platform's binaries; the image keeps linux/<arch> only (Dockerfile, deps stage). */
function otherPlatformBinary(file: string): boolean {
    const marker = `${path.sep}onnxruntime-node${path.sep}bin${path.sep}napi-v6${path.sep}`;
    const at = file.indexOf(marker);
    if (at < 0) return false;
    const rest = file.slice(at + marker.length).split(path.sep);
    return (rest[0] !== undefined && rest[0] !== "linux") || (rest.length > 1 && rest[0] === "linux" && rest[1] !== process.arch);
}

export function imageSize(repoRoot: string): ImageSize {
    const serviceDir = path.join(repoRoot, "services", "inference");
    const listed = execFileSync("npm", ["ls", "--omit=dev", "-w", "services/inference", "--all", "--parseable"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    // The workspace itself is a symlink in node_modules (the image copies it as a link, its files come with dist/).
    const packageDirs = [...new Set(listed.split("\n").filter((p) => p.includes(`${path.sep}node_modules${path.sep}`) && !fs.lstatSync(p).isSymbolicLink()))];
    const sizes = packageDirs.map((dir) => ({ name: dir.slice(dir.lastIndexOf(`node_modules${path.sep}`) + 13), bytes: bytesUnder(dir, otherPlatformBinary) }));
    const deps = sizes.reduce((n, s) => n + s.bytes, 0);
    const dist = fs.existsSync(path.join(serviceDir, "dist")) ? bytesUnder(path.join(serviceDir, "dist"), (f) => f.endsWith(".map")) : 0;
    const models = bytesUnder(path.join(serviceDir, "models"));
    const round1 = (bytes: number): number => Math.round(bytes / MB * 10) / 10;
    return {
        deps_node_modules_mb: round1(deps),
        dist_mb: round1(dist),
        models_mb: round1(models),
        added_to_base_mb: round1(deps + dist + models + fs.statSync(path.join(serviceDir, "package.json")).size),
        packages: sizes.length,
        largest: sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 5).map((s) => ({ name: s.name, mb: round1(s.bytes) })),
    };
}
