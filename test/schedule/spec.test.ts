import assert from "node:assert/strict";
import { awsCron, cronProblems, parseScheduleLines, scheduleProblems } from "../../components/schedule/spec";

describe("scaling schedule spec", () => {
    it("accepts five-field cron with ranges, lists and steps", () => {
        assert.deepEqual(cronProblems("0 18 * * 1-5"), []);
        assert.deepEqual(cronProblems("*/15 8,12,18 1 1-12/3 0,6"), []);
    });

    it("names the field and the rule of a bad cron", () => {
        assert.deepEqual(cronProblems("0 24 * * *"), ['hour "24" is outside 0-23']);
        assert.deepEqual(cronProblems("0 18 * * MON"), ['day-of-week "MON" is not a number, range, list, step or *']);
        assert.deepEqual(cronProblems("0 18 * *"), ['cron "0 18 * *" has 4 fields; expected 5 (minute hour day-of-month month day-of-week)']);
        assert.deepEqual(cronProblems("0 5-2 * * *"), ['hour range "5-2" runs backwards']);
    });

    it("checks names, time zone and that every minimum fits under the maximum", () => {
        const problems = scheduleProblems(
            {
                timeZone: "Mars/Olympus",
                entries: [
                    { name: "evening", cron: "0 18 * * 1-5", minCapacity: 6 },
                    { name: "evening", cron: "0 23 * * *", minCapacity: 2 },
                    { name: "Big_Peak", cron: "0 9 * * 6", minCapacity: 1.5 },
                ],
            },
            5,
        );
        assert.deepEqual(problems, [
            'scalingSchedule.timeZone "Mars/Olympus" is not an IANA time zone',
            "scalingSchedule.entries[0].minCapacity 6 exceeds maxReplicas 5",
            'scalingSchedule.entries[1].name "evening" is used twice',
            'scalingSchedule.entries[2].name "Big_Peak" must be a lowercase DNS label of at most 20 characters',
            "scalingSchedule.entries[2].minCapacity 1.5 must be a whole number ≥ 0",
        ]);
    });

    it("writes AWS cron with a ? day field and named weekdays (AWS counts SUN as 1)", () => {
        assert.equal(awsCron("0 18 * * 1-5"), "cron(0 18 ? * MON-FRI *)");
        assert.equal(awsCron("30 9 * * 0,6"), "cron(30 9 ? * SUN,SAT *)");
        assert.equal(awsCron("0 23 * * 7"), "cron(0 23 ? * SUN *)");
        assert.equal(awsCron("0 2 1 * *"), "cron(0 2 1 * ? *)");
    });

    it("refuses cron that AWS cannot express the same way", () => {
        assert.throws(() => awsCron("0 2 1 * 1"), /restricts both day-of-month and day-of-week/);
        assert.throws(() => awsCron("0 2 * * 1-5/2"), /steps through days of the week/);
        assert.throws(() => awsCron("0 25 * * *"), /hour "25" is outside 0-23/);
    });
});

describe("scaling schedule in stack config", () => {
    it("reads \"<name> <minCapacity> <cron>\" lines in the configured time zone", () => {
        assert.deepEqual(parseScheduleLines(["evening 6 0 18 * * 1-5", "night 2 0 23 * * *"], "Europe/London", 10), {
            schedule: {
                timeZone: "Europe/London",
                entries: [
                    { name: "evening", minCapacity: 6, cron: "0 18 * * 1-5" },
                    { name: "night", minCapacity: 2, cron: "0 23 * * *" },
                ],
            },
            problems: [],
        });
    });

    it("means no schedule when there are no lines", () => {
        assert.deepEqual(parseScheduleLines([], "UTC", 10), { problems: [] });
    });

    it("names the line that does not parse and the rule a parsed line breaks", () => {
        assert.deepEqual(parseScheduleLines(["evening 6 0 18 * *"], "UTC", 10).problems, [
            'scalingSchedule[0] "evening 6 0 18 * *" is not "<name> <minCapacity> <five cron fields>"',
        ]);
        assert.deepEqual(parseScheduleLines(["evening 60 0 18 * * 1-5"], "UTC", 10).problems, ["scalingSchedule.entries[0].minCapacity 60 exceeds maxReplicas 10"]);
    });
});
