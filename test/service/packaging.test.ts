import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const service = path.join(root, "services", "inference");

describe("inference service packaging", function () {
    this.timeout(60000);

    it("ships a production dependency tree without the Pulumi SDKs, TypeScript or test tools", () => {
        // The same tree `npm ci --omit=dev -w services/inference` installs in the image.
        const tree = execFileSync("npm", ["ls", "--omit=dev", "-w", "services/inference", "--all", "--parseable"], { cwd: root, encoding: "utf8" });
        const packages = tree.split("\n").filter(Boolean).map((p) => path.relative(path.join(root, "node_modules"), p));
        assert.ok(packages.includes("onnxruntime-node") && packages.includes("fastify"));
        const unwanted = packages.filter((p) => /^(@pulumi\/|typescript$|mocha$|tsx$|fast-check$|eslint)/.test(p));
        assert.deepEqual(unwanted, []);
    });

    it("builds and starts from the scripts the quick start and the benchmarks use", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(service, "package.json"), "utf8")).scripts;
        // Type-check, then bundle the entry points (scripts/bundle.mjs) into the files start and the images run.
        assert.equal(scripts.build, "tsc -p tsconfig.json --noEmit && node scripts/bundle.mjs");
        // Built inside start, not in a prestart: .npmrc's ignore-scripts makes npm skip pre/post scripts.
        assert.equal(scripts.start, "npm run build && node dist/server.js");
        const rootScripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts;
        assert.match(rootScripts.start, /--workspace services\/inference/);
    });

    it("has an image that runs dist/server.js as a non-root user and a Lambda image whose CMD is dist/lambda.handler", () => {
        const dockerfile = fs.readFileSync(path.join(service, "Dockerfile"), "utf8");
        const stage = (name: string) => dockerfile.split(/^FROM /m).find((s) => new RegExp(` AS ${name}$`).test(s.split("\n")[0])) ?? "";
        assert.match(stage("server"), /^USER node$/m);
        assert.match(stage("server"), /^CMD \["node", "dist\/server.js"\]$/m);
        assert.match(stage("lambda"), /^public\.ecr\.aws\/lambda\/nodejs:20 AS lambda/);
        assert.match(stage("lambda"), /^CMD \["dist\/lambda.handler"\]$/m);
        assert.match(stage("deps"), /npm ci --omit=dev -w services\/inference/);
        // Every file copied from the build context exists in the repository.
        for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+(?: \S+)*) \S+$/gm)) {
            for (const file of source.split(" ")) assert.ok(fs.existsSync(path.join(root, file)), `COPY source ${file} is missing`);
        }
    });

    it("carries every bundled model version in both images (v1 stays servable beside v2: rollback, canary)", () => {
        const dockerfile = fs.readFileSync(path.join(service, "Dockerfile"), "utf8");
        const stage = (name: string) => dockerfile.split(/^FROM /m).find((s) => new RegExp(` AS ${name}$`).test(s.split("\n")[0])) ?? "";
        // The whole models/ directory is copied, so every version in it ships.
        assert.match(stage("server"), /^COPY services\/inference\/models \.\/models$/m);
        assert.match(stage("lambda"), /^COPY services\/inference\/models \$\{LAMBDA_TASK_ROOT\}\/models$/m);
        const ignore = fs.readFileSync(path.join(service, "Dockerfile.dockerignore"), "utf8");
        assert.doesNotMatch(ignore, /models|\*\.onnx/, "the build context keeps the model files");
        for (const version of ["1", "2"]) {
            for (const file of ["model.onnx", "metadata.json", "README.md"]) {
                assert.ok(fs.existsSync(path.join(service, "models", "property-valuation", version, file)), `models/property-valuation/${version}/${file}`);
            }
        }
    });
});
