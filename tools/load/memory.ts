// Memory of a live local process, from the kernel's /proc/<pid>/status (Linux): the one reader the bench, the
// soak and the overload scripts share.
import * as fs from "node:fs";

export interface ProcessMemory {
    /** Resident set size now (VmRSS). */
    rssBytes: number;
    /** High-water mark of the resident set since the process started (VmHWM): a peak no sampling can miss. */
    peakRssBytes: number;
}

function field(status: string, name: string, pid: number): number {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(status);
    if (!match) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
}

export function processMemory(pid: number): ProcessMemory {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return { rssBytes: field(status, "VmRSS", pid), peakRssBytes: field(status, "VmHWM", pid) };
}

export const MIB = 2 ** 20;
