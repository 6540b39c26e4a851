import * as fs from "node:fs";
import * as path from "node:path";
import MarkdownIt from "markdown-it";

/** A link or image in a Markdown file, with the line it is on (1-based). */
export interface MarkdownLink {
    file: string;
    line: number;
    target: string;
}

type Slugger = { slug(value: string): string };
export type SluggerFactory = () => Slugger;

const markdown = new MarkdownIt({ html: true });

/** Scheme (`https:`, `mailto:`) or protocol-relative: not a file in this repository. */
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** README.md and every Markdown file under docs/, as paths relative to `root`. */
export function documentationFiles(root: string): string[] {
    const docs = path.join(root, "docs");
    const underDocs = fs.existsSync(docs)
        ? fs.readdirSync(docs, { recursive: true, encoding: "utf8" })
            .filter((file) => file.endsWith(".md"))
            .map((file) => path.join("docs", file))
        : [];
    return ["README.md", ...underDocs.sort()];
}

function inlineText(inline: MarkdownIt.Token): string {
    return (inline.children ?? [])
        .filter((child) => child.type === "text" || child.type === "code_inline")
        .map((child) => child.content)
        .join("");
}

/** Every link and image target outside code, as markdown-it parses it (the way GitHub's CommonMark does). */
export function linksOf(file: string, text: string): MarkdownLink[] {
    const links: MarkdownLink[] = [];
    let blockLine = 1;
    for (const block of markdown.parse(text, {})) {
        // Table cells carry no line map: their row (tr_open) does.
        if (block.map) blockLine = block.map[0] + 1;
        if (block.type !== "inline") continue;
        let line = blockLine;
        for (const child of block.children ?? []) {
            if (child.type === "softbreak" || child.type === "hardbreak") line += 1;
            const target = child.type === "link_open" ? child.attrGet("href")
                : child.type === "image" ? child.attrGet("src") : null;
            if (target !== null) links.push({ file, line, target: String(target) });
        }
    }
    return links;
}

/** The anchors GitHub gives a page: one per heading (slugged in order, duplicates numbered), plus HTML ids/names. */
export function anchorsOf(text: string, newSlugger: SluggerFactory): Set<string> {
    const slugger = newSlugger();
    const anchors = new Set<string>();
    const tokens = markdown.parse(text, {});
    tokens.forEach((token, index) => {
        if (token.type === "heading_open") anchors.add(slugger.slug(inlineText(tokens[index + 1])));
        if (token.type === "html_block" || token.type === "html_inline") {
            for (const match of token.content.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
        }
    });
    return anchors;
}

/** Why `link` does not resolve inside `root`, or undefined when it does. External links are not checked. */
export function problemOf(root: string, link: MarkdownLink, newSlugger: SluggerFactory): string | undefined {
    if (EXTERNAL.test(link.target)) return undefined;
    const [rawPath, anchor] = link.target.split("#", 2);
    const relative = decodeURIComponent(rawPath);
    const resolved = relative === "" ? path.join(root, link.file)
        : relative.startsWith("/") ? path.join(root, relative)
            : path.join(root, path.dirname(link.file), relative);
    const shown = path.relative(root, resolved) || ".";
    if (!path.resolve(resolved).startsWith(path.resolve(root))) return `${shown} is outside the repository`;
    if (!fs.existsSync(resolved)) return `${shown} does not exist`;
    if (anchor === undefined || anchor === "" || !resolved.endsWith(".md")) return undefined;
    const anchors = anchorsOf(fs.readFileSync(resolved, "utf8"), newSlugger);
    return anchors.has(decodeURIComponent(anchor)) ? undefined : `${shown} has no heading with anchor #${anchor}`;
}

/** Every broken relative link in README.md and docs/, as `file:line: target: why`. */
export function brokenLinks(root: string, newSlugger: SluggerFactory): string[] {
    return documentationFiles(root).flatMap((file) =>
        linksOf(file, fs.readFileSync(path.join(root, file), "utf8")).flatMap((link) => {
            const problem = problemOf(root, link, newSlugger);
            return problem === undefined ? [] : [`${link.file}:${link.line}: ${link.target}: ${problem}`];
        }));
}
