// CPU time a local process has used (user + system, all threads), from /proc/<pid>/stat (Linux). On a shared
// machine a process's CPU per request is steadier than its throughput: it does not count the time others took.
import * as fs from "node:fs";

/** Clock ticks per second of /proc's utime and stime (USER_HZ); 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export function processCpuMs(pid: number): number {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at the state, field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
