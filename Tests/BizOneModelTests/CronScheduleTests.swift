import BizOneModel
import Foundation
import Testing

private func utc(_ text: String) -> Date {
    guard let date = Timestamps.parse(text) else { fatalError("bad time \(text)") }
    return date
}

private func zone(_ name: String) -> TimeZone {
    guard let zone = TimeZone(identifier: name) else { fatalError("unknown zone \(name)") }
    return zone
}

private func schedule(cron: String? = nil, at: String? = nil, timezone: String = "UTC", window: (String, String)? = nil,
                      expireAfter: String? = nil) throws -> ScheduleSpec {
    var object: [String: JSONValue] = ["timezone": .string(timezone)]
    if let cron { object["cron"] = .string(cron) }
    if let at { object["at"] = .string(at) }
    if let window { object["window"] = .object(["start": .string(window.0), "end": .string(window.1)]) }
    if let expireAfter { object["expireAfter"] = .string(expireAfter) }
    return try JSONValue.object(object).decode(ScheduleSpec.self)
}

@Suite("cron: next occurrence in a time zone")
struct CronNextTests {
    /// (expression, zone, after, the next occurrences in UTC)
    @Test(arguments: [
        // No DST: 09:00 WIB is 02:00Z every day.
        ("0 9 * * *", "Asia/Jakarta", "2026-11-29T00:00:00Z", ["2026-11-29T02:00:00Z", "2026-11-30T02:00:00Z"]),
        ("0 9 * * *", "Asia/Jakarta", "2026-11-29T02:00:00Z", ["2026-11-30T02:00:00Z"]),  // strictly after
        ("30 8,17 * * 1-5", "Asia/Jakarta", "2026-11-27T10:30:00Z", ["2026-11-30T01:30:00Z", "2026-11-30T10:30:00Z"]),  // after Friday 17:30 WIB: Monday
        // New York, spring forward on Sunday 2026-03-08 (02:00 EST -> 03:00 EDT): 02:30 does not exist that day.
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", ["2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"]),
        ("30 2 * * *", "America/New_York", "2026-03-06T12:00:00Z", ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"]),
        ("0 3 * * *", "America/New_York", "2026-03-07T12:00:00Z", ["2026-03-08T07:00:00Z", "2026-03-09T07:00:00Z"]),
        // New York, fall back on Sunday 2026-11-01 (02:00 EDT -> 01:00 EST): 01:30 happens twice, fires once (EDT).
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]),
        ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", ["2026-11-02T06:30:00Z"]),
        // Every 15 minutes across the fall-back hour: the repeated 01:00-01:59 (EST) does not fire again.
        ("*/15 * * * *", "America/New_York", "2026-11-01T05:40:00Z", ["2026-11-01T05:45:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:15:00Z"]),
        // Berlin, spring forward on Sunday 2026-03-29 (02:00 CET -> 03:00 CEST).
        ("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", ["2026-03-30T00:30:00Z"]),
        ("0 9 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", ["2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"]),
        // Berlin, fall back on Sunday 2026-10-25 (03:00 CEST -> 02:00 CET): 02:30 fires once, at CEST.
        ("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
        ("0 9 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", ["2026-10-25T08:00:00Z"]),
        // Day of month OR day of week when both are restricted: the 13th, and every Friday.
        ("0 0 13 * FRI", "UTC", "2026-01-01T00:00:00Z",
         ["2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z"]),
        // Only the day of week restricted: Mondays (names and numbers, 7 = Sunday).
        ("0 0 * * MON", "UTC", "2026-01-01T00:00:00Z", ["2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z"]),
        ("0 12 * * 7", "UTC", "2026-01-01T00:00:00Z", ["2026-01-04T12:00:00Z"]),
        // Month names, any case.
        ("0 12 1 jan,JUL *", "UTC", "2026-01-02T00:00:00Z", ["2026-07-01T12:00:00Z", "2027-01-01T12:00:00Z"]),
        // Leap day: the next one is in 2028.
        ("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", ["2028-02-29T00:00:00Z"]),
    ])
    func nextOccurrences(expression: String, zoneName: String, after: String, expected: [String]) throws {
        let cron = try CronExpression(parsing: expression)
        var cursor = utc(after)
        var found: [String] = []
        for _ in expected {
            guard let next = cron.next(after: cursor, in: zone(zoneName)) else { break }
            found.append(Timestamps.format(next))
            cursor = next
        }
        #expect(found == expected)
    }

    @Test func anExpressionThatNeverMatchesHasNoNextOccurrence() throws {
        #expect(try CronExpression(parsing: "0 0 30 FEB *").next(after: utc("2026-01-01T00:00:00Z"), in: zone("UTC")) == nil)
        #expect(try CronExpression(parsing: "0 0 31 4,6,9,11 *").next(after: utc("2026-01-01T00:00:00Z"), in: zone("UTC")) == nil)
    }

    @Test func matchesAndNextAgree() throws {
        let cron = try CronExpression(parsing: "15 10 * * 1")
        #expect(cron.matches(minute: 15, hour: 10, day: 30, month: 11, weekday: 1))
        #expect(!cron.matches(minute: 15, hour: 10, day: 29, month: 11, weekday: 0))
        // 2026-11-30 is a Monday: 10:15 WIB = 03:15Z.
        #expect(cron.next(after: utc("2026-11-29T00:00:00Z"), in: zone("Asia/Jakarta")) == utc("2026-11-30T03:15:00Z"))
    }
}

@Suite("schedule evaluation")
struct ScheduleEvaluatorTests {
    let evaluator = ScheduleEvaluator()

    @Test func nextRunsOfACronSchedule() throws {
        let spec = try schedule(cron: "0 9 * * *", timezone: "Asia/Jakarta")
        #expect(evaluator.nextRuns(spec, after: utc("2026-11-29T03:00:00Z"), count: 3).map(Timestamps.format) == [
            "2026-11-30T02:00:00Z", "2026-12-01T02:00:00Z", "2026-12-02T02:00:00Z",
        ])
        #expect(evaluator.nextRuns(spec, after: utc("2026-11-29T03:00:00Z"), count: 0).isEmpty)
    }

    @Test func nextRunsOfAOneOffSchedule() throws {
        let spec = try schedule(at: "2026-12-01T09:00:00+07:00", timezone: "Asia/Jakarta")
        #expect(evaluator.nextRuns(spec, after: utc("2026-11-29T00:00:00Z"), count: 5) == [utc("2026-12-01T02:00:00Z")])
        #expect(evaluator.nextRuns(spec, after: utc("2026-12-01T02:00:00Z"), count: 5).isEmpty)
    }

    @Test func dueRunsAreTheOccurrencesInTheHalfOpenInterval() throws {
        let spec = try schedule(cron: "0 9 * * *", timezone: "Asia/Jakarta")
        // (since, now]: an occurrence exactly at `since` ran already; one exactly at `now` is due.
        #expect(evaluator.dueRuns(spec, since: utc("2026-11-29T02:00:00Z"), until: utc("2026-12-01T02:00:00Z")).map(Timestamps.format) == [
            "2026-11-30T02:00:00Z", "2026-12-01T02:00:00Z",
        ])
        #expect(evaluator.dueRuns(spec, since: utc("2026-11-29T02:00:00Z"), until: utc("2026-11-30T01:59:59Z")).isEmpty)
        #expect(evaluator.dueRuns(spec, since: utc("2026-11-30T00:00:00Z"), until: utc("2026-11-29T00:00:00Z")).isEmpty)

        let once = try schedule(at: "2026-12-01T09:00:00+07:00")
        #expect(evaluator.dueRuns(once, since: utc("2026-11-30T00:00:00Z"), until: utc("2026-12-01T02:00:00Z")) == [utc("2026-12-01T02:00:00Z")])
        #expect(evaluator.dueRuns(once, since: utc("2026-12-01T02:00:00Z"), until: utc("2026-12-02T00:00:00Z")).isEmpty)
    }

    @Test func dueRunsKeepTheMostRecentWhenTooManyFellDue() throws {
        let spec = try schedule(cron: "* * * * *")
        let limited = ScheduleEvaluator(dueRunLimit: 5)
        let runs = limited.dueRuns(spec, since: utc("2026-11-29T00:00:00Z"), until: utc("2026-11-29T01:00:00Z"))
        #expect(runs.map(Timestamps.format) == [
            "2026-11-29T00:56:00Z", "2026-11-29T00:57:00Z", "2026-11-29T00:58:00Z", "2026-11-29T00:59:00Z", "2026-11-29T01:00:00Z",
        ])
        #expect(evaluator.dueRuns(spec, since: utc("2026-11-29T00:00:00Z"), until: utc("2026-11-29T01:00:00Z")).count == 60)
    }

    @Test func dueRunsAcrossTheSpringForwardDaySkipTheMissingTime() throws {
        let spec = try schedule(cron: "30 2 * * *", timezone: "America/New_York")
        #expect(evaluator.dueRuns(spec, since: utc("2026-03-06T12:00:00Z"), until: utc("2026-03-10T12:00:00Z")).map(Timestamps.format) == [
            "2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z",
        ])
    }

    @Test func expiry() throws {
        let due = utc("2026-11-30T02:00:00Z")
        let spec = try schedule(cron: "0 9 * * *", timezone: "Asia/Jakarta", expireAfter: "2h")
        #expect(!evaluator.isExpired(dueAt: due, now: due, spec: spec))
        #expect(!evaluator.isExpired(dueAt: due, now: due.addingTimeInterval(7_200), spec: spec))
        #expect(evaluator.isExpired(dueAt: due, now: due.addingTimeInterval(7_201), spec: spec))
        let forever = try schedule(cron: "0 9 * * *", timezone: "Asia/Jakarta")
        #expect(!evaluator.isExpired(dueAt: due, now: due.addingTimeInterval(86_400 * 30), spec: forever))
    }

    /// (window, zone, at, open, next change)
    @Test(arguments: [
        // 08:00-20:00 WIB = 01:00Z-13:00Z.
        ("08:00", "20:00", "Asia/Jakarta", "2026-11-29T00:00:00Z", false, "2026-11-29T01:00:00Z"),
        ("08:00", "20:00", "Asia/Jakarta", "2026-11-29T01:00:00Z", true, "2026-11-29T13:00:00Z"),  // the start is inside
        ("08:00", "20:00", "Asia/Jakarta", "2026-11-29T05:00:00Z", true, "2026-11-29T13:00:00Z"),
        ("08:00", "20:00", "Asia/Jakarta", "2026-11-29T13:00:00Z", false, "2026-11-30T01:00:00Z"),  // the end is outside
        // Across midnight: 20:00-06:00 WIB = 13:00Z-23:00Z.
        ("20:00", "06:00", "Asia/Jakarta", "2026-11-29T16:00:00Z", true, "2026-11-29T23:00:00Z"),  // 23:00 local
        ("20:00", "06:00", "Asia/Jakarta", "2026-11-29T20:00:00Z", true, "2026-11-29T23:00:00Z"),  // 03:00 local
        ("20:00", "06:00", "Asia/Jakarta", "2026-11-29T23:00:00Z", false, "2026-11-30T13:00:00Z"),  // 06:00 local
        ("20:00", "06:00", "Asia/Jakarta", "2026-11-29T05:00:00Z", false, "2026-11-29T13:00:00Z"),  // 12:00 local
        // New York spring forward: a window opening at 02:30 opens when the clock jumps to 03:00 EDT (07:00Z).
        ("02:30", "05:00", "America/New_York", "2026-03-08T06:00:00Z", false, "2026-03-08T07:00:00Z"),
        // New York fall back: 20:00-01:30 closes at 01:30 EDT, reopens when the clock falls back to 01:00 EST, closes at 01:30 EST.
        ("20:00", "01:30", "America/New_York", "2026-11-01T05:00:00Z", true, "2026-11-01T05:30:00Z"),
        ("20:00", "01:30", "America/New_York", "2026-11-01T05:30:00Z", false, "2026-11-01T06:00:00Z"),
        ("20:00", "01:30", "America/New_York", "2026-11-01T06:00:00Z", true, "2026-11-01T06:30:00Z"),
        // Berlin: an ordinary day.
        ("08:00", "20:00", "Europe/Berlin", "2026-07-01T05:00:00Z", false, "2026-07-01T06:00:00Z"),
    ])
    func windows(start: String, end: String, zoneName: String, at: String, open: Bool, next: String) throws {
        let spec = try schedule(cron: "0 9 * * *", timezone: zoneName, window: (start, end))
        let state = evaluator.windowState(spec, at: utc(at))
        #expect(state.open == open)
        #expect(state.nextChange.map(Timestamps.format) == next)
    }

    @Test func withoutAWindowSendingIsAlwaysAllowed() throws {
        let state = evaluator.windowState(try schedule(cron: "0 9 * * *"), at: utc("2026-11-29T00:00:00Z"))
        #expect(state.open)
        #expect(state.nextChange == nil)
    }

    @Test func anEmptyWindowNeverOpens() throws {
        let state = evaluator.windowState(try schedule(cron: "0 9 * * *", window: ("08:00", "08:00")), at: utc("2026-11-29T08:00:00Z"))
        #expect(!state.open)
        #expect(state.nextChange == nil)
    }
}
