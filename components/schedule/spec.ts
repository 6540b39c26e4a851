/**
 * scaling.schedule: raise or lower the minimum capacity at set times, for predictable peaks. Each entry
 * holds from its cron time until the next entry fires, so a schedule is a weekly step function:
 *
 *   { timeZone: "America/New_York", entries: [
 *       { name: "evening", cron: "0 18 * * 1-5", minCapacity: 6 },
 *       { name: "night",   cron: "0 23 * * *",   minCapacity: 2 } ] }
 *
 * Cron is the common five-field form (minute hour day-of-month month day-of-week, numbers only, day-of-week
 * 0-7 with 0 and 7 for Sunday), which Kubernetes CronJobs and Cloud Scheduler take as is; Application
 * Auto Scaling needs its own six-field form ({@link awsCron}).
 */

export interface ScheduleEntry {
    /** DNS-label name; part of the CronJob / scheduled action / scheduler job name. */
    name: string;
    cron: string;
    /** Minimum replicas (Kubernetes), provisioned concurrency (Lambda) or min instances (Cloud Run) from this time on. */
    minCapacity: number;
}

export interface ScalingSchedule {
    /** IANA time zone the cron times are read in. */
    timeZone: string;
    entries: ScheduleEntry[];
}

interface FieldRule {
    name: string;
    min: number;
    max: number;
}

const FIELDS: readonly FieldRule[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day-of-week", min: 0, max: 7 },
];

const PART = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/** Why one cron field is invalid, or undefined when it is valid. */
function fieldProblem(value: string, rule: FieldRule): string | undefined {
    for (const part of value.split(",")) {
        const m = PART.exec(part);
        if (!m) return `${rule.name} "${value}" is not a number, range, list, step or *`;
        const [, , from, to, step] = m;
        const numbers = [from, to].filter((n): n is string => n !== undefined).map(Number);
        if (numbers.some((n) => n < rule.min || n > rule.max)) return `${rule.name} "${value}" is outside ${rule.min}-${rule.max}`;
        if (numbers.length === 2 && numbers[0] > numbers[1]) return `${rule.name} range "${part}" runs backwards`;
        if (step !== undefined && Number(step) === 0) return `${rule.name} step "${part}" is zero`;
    }
    return undefined;
}

export function cronProblems(cron: string): string[] {
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5) return [`cron "${cron}" has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week)`];
    return fields.map((f, i) => fieldProblem(f, FIELDS[i])).filter((p): p is string => p !== undefined);
}

/** Whether `zone` is an IANA time zone this runtime knows (Intl rejects the others). */
export function isTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

/** Everything wrong with a schedule for a service whose capacity may range up to `maxCapacity`. */
export function scheduleProblems(schedule: ScalingSchedule, maxCapacity: number): string[] {
    const problems: string[] = [];
    if (!isTimeZone(schedule.timeZone)) problems.push(`scalingSchedule.timeZone "${schedule.timeZone}" is not an IANA time zone`);
    if (schedule.entries.length === 0) problems.push("scalingSchedule.entries is empty");
    const seen = new Set<string>();
    schedule.entries.forEach((entry, i) => {
        const at = `scalingSchedule.entries[${i}]`;
        if (!/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/.test(entry.name)) problems.push(`${at}.name "${entry.name}" must be a lowercase DNS label of at most 20 characters`);
        if (seen.has(entry.name)) problems.push(`${at}.name "${entry.name}" is used twice`);
        seen.add(entry.name);
        problems.push(...cronProblems(entry.cron).map((p) => `${at}.cron: ${p}`));
        if (!Number.isInteger(entry.minCapacity) || entry.minCapacity < 0) problems.push(`${at}.minCapacity ${entry.minCapacity} must be a whole number ≥ 0`);
        else if (entry.minCapacity > maxCapacity) problems.push(`${at}.minCapacity ${entry.minCapacity} exceeds maxReplicas ${maxCapacity}`);
    });
    return problems;
}

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/**
 * The Application Auto Scaling form: cron(minute hour day-of-month month day-of-week year), where one of the
 * two day fields must be "?" and days of the week count from SUN=1 — so days are written as names, which
 * cannot be misread. Throws when the expression restricts both day fields or steps through weekdays,
 * which AWS cannot express the same way.
 */
export function awsCron(cron: string): string {
    const problems = cronProblems(cron);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
    if (dayOfWeek === "*") return `cron(${minute} ${hour} ${dayOfMonth} ${month} ? *)`;
    if (dayOfMonth !== "*") throw new Error(`cron "${cron}" restricts both day-of-month and day-of-week, which AWS cron cannot combine`);
    if (dayOfWeek.includes("/")) throw new Error(`cron "${cron}" steps through days of the week, which AWS cron reads differently`);
    const days = dayOfWeek.replace(/\d+/g, (n) => DAY_NAMES[Number(n)]);
    return `cron(${minute} ${hour} ? ${month} ${days} *)`;
}

/**
 * The stack-config form: `scalingSchedule` lines "<name> <minCapacity> <cron>" (e.g. "evening 6 0 18 * * 1-5")
 * read in `scalingTimeZone`. No lines, no schedule. Problems name the line and the rule.
 */
export function parseScheduleLines(lines: readonly string[], timeZone: string, maxCapacity: number): { schedule?: ScalingSchedule; problems: string[] } {
    if (lines.length === 0) return { problems: [] };
    const entries: ScheduleEntry[] = [];
    const problems: string[] = [];
    lines.forEach((line, i) => {
        const m = /^\s*(\S+)\s+(\S+)\s+(\S+(?:\s+\S+){4})\s*$/.exec(line);
        if (!m) {
            problems.push(`scalingSchedule[${i}] "${line}" is not "<name> <minCapacity> <five cron fields>"`);
            return;
        }
        entries.push({ name: m[1], minCapacity: /^\d+$/.test(m[2]) ? Number(m[2]) : Number.NaN, cron: m[3] });
    });
    const schedule = { timeZone, entries };
    problems.push(...(problems.length === 0 ? scheduleProblems(schedule, maxCapacity) : []));
    return problems.length === 0 ? { schedule, problems } : { problems };
}
