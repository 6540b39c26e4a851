import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { anchorsOf, brokenLinks, documentationFiles, type SluggerFactory } from "./markdown-links";

const root = path.resolve(__dirname, "..", "..");

describe("documentation links", () => {
    let newSlugger: SluggerFactory;
    before(async () => {
        // github-slugger is ES-module only; this CommonJS test loads it with a dynamic import.
        const { default: GithubSlugger } = await import("github-slugger");
        newSlugger = () => new GithubSlugger();
    });

    it("checks README.md and every page under docs/", () => {
        const files = documentationFiles(root);
        assert.ok(files.includes("README.md"));
        assert.ok(files.filter((file) => file.startsWith("docs")).length >= 5, files.join(", "));
    });

    it("every relative link and #anchor in README.md and docs/ resolves", () => {
        assert.deepEqual(brokenLinks(root, newSlugger), []);
    });

    it("links every docs/ page from the README", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const unlinked = documentationFiles(root)
            .filter((file) => file.startsWith("docs"))
            .filter((file) => !readme.includes(`](${file.split(path.sep).join("/")})`));
        assert.deepEqual(unlinked, []);
    });

    it("keeps README.md a front page: at most 12 KB, the rest in docs/", () => {
        const bytes = fs.statSync(path.join(root, "README.md")).size;
        assert.ok(bytes <= 12 * 1024, `README.md is ${bytes} bytes; move detail into a docs/ page`);
    });

    it("slugs headings as GitHub does, numbering duplicates", () => {
        const anchors = anchorsOf("# Hybrid: Kubernetes + serverless (`backend: hybrid`)\n## Tests\n## Tests\n", newSlugger);
        assert.deepEqual([...anchors], ["hybrid-kubernetes--serverless-backend-hybrid", "tests", "tests-1"]);
    });

    it("reports missing files, missing anchors and links out of the repository, but not code or external links", () => {
        const fixture = fs.mkdtempSync(path.join(os.tmpdir(), "doc-links-"));
        try {
            fs.mkdirSync(path.join(fixture, "docs"));
            fs.writeFileSync(path.join(fixture, "README.md"), [
                "# Project", "",
                "[ok](docs/a.md) [ok anchor](docs/a.md#section-one) [self](#project) [web](https://example.com/x.md)",
                "[gone](docs/missing.md)", "",
                "![chart](results/chart.svg)", "",
                "`[in code](nowhere.md)`", "", "```", "[in a fence](nowhere.md)", "```", "",
            ].join("\n"));
            fs.writeFileSync(path.join(fixture, "docs", "a.md"), "# A\n\n## Section one\n\n[back](../README.md#nope) [up](../../outside.md)\n");
            assert.deepEqual(brokenLinks(fixture, newSlugger), [
                "README.md:4: docs/missing.md: docs/missing.md does not exist",
                "README.md:6: results/chart.svg: results/chart.svg does not exist",
                "docs/a.md:5: ../README.md#nope: README.md has no heading with anchor #nope",
                "docs/a.md:5: ../../outside.md: ../outside.md is outside the repository",
            ]);
        } finally {
            fs.rmSync(fixture, { recursive: true, force: true });
        }
    });
});
