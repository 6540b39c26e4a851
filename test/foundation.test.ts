import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

describe("project foundation", () => {
    it("pins typescript to 5.9 because @pulumi/pulumi rejects 7 and npm then loops forever", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.match(pkg.devDependencies.typescript, /^5\.9\./);
    });

    it("skips onnxruntime-node's CUDA download, which fails without outside network", () => {
        assert.match(fs.readFileSync(path.join(root, ".npmrc"), "utf8"), /^onnxruntime-node-install=skip$/m);
    });
});
