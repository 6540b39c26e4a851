/**
 * What a rule says about a validated spec: the keys (fully qualified, with their values) a reader must change,
 * why, and whether it stops the deploy. The parser prefixes the stack file; the component uses the same rules.
 */
export interface Finding {
    level: "error" | "warning";
    /** The keys involved, first the one to change, e.g. [["model-serving:cpu", "2"], ["model-serving:nodeInstanceType", "m6i.large"]]. */
    keys: [key: string, value: unknown][];
    /** The rule and the fix, e.g. "does not fit …; use …". */
    why: string;
}

/** A fully-qualified project key: "model-serving:cpu". */
export function key(name: string): string {
    return `model-serving:${name}`;
}

export function error(keys: Finding["keys"], why: string): Finding {
    return { level: "error", keys, why };
}

export function warning(keys: Finding["keys"], why: string): Finding {
    return { level: "warning", keys, why };
}

/** One line: `<source>: model-serving:cpu "2" and model-serving:memory "4Gi" <why>`; no source for code-built specs. */
export function formatFinding(finding: Finding, source?: string): string {
    const named = finding.keys.map(([name, value]) => `${name} ${JSON.stringify(value)}`);
    const keys = named.length > 1 ? `${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}` : named[0];
    return `${source ? `${source}: ` : ""}${keys}${finding.why.startsWith(":") ? "" : " "}${finding.why}`;
}
