import { specFindings } from "./config/backends";
import { formatFinding } from "./config/findings";
import type { Platform, ServiceSpec } from "./spec";

/**
 * Problems with ModelService args built in code rather than parsed from config: the parser's own rule set
 * (components/config/backends.ts), so a spec the parser accepted is never refused here. Empty when deployable.
 */
export function specProblems(service: ServiceSpec, platform: Platform): string[] {
    return specFindings(service, platform).filter((finding) => finding.level === "error").map((finding) => formatFinding(finding));
}
