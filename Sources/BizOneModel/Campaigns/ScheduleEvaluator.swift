import Foundation

/// When a schedule's runs fall due, whether a due run has expired, and whether its send window
/// is open. Pure: every answer is a function of the spec and the instants passed in (no clock).
///
/// Cron schedules are evaluated on wall-clock time in the schedule's IANA time zone (see
/// `CronExpression.next(after:in:)` for daylight saving time). A spec whose `at`, `cron`,
/// `timezone` or window cannot be read (the loader rejects those) has no runs and no window.
public struct ScheduleEvaluator: Sendable {
    /// Most occurrences `dueRuns` returns; when more fell due (a per-minute cron after a long
    /// outage), the most recent ones are kept.
    public var dueRunLimit: Int

    public init(dueRunLimit: Int = 10_000) {
        self.dueRunLimit = max(1, dueRunLimit)
    }

    /// The schedule's time zone, nil when the name is unknown.
    public static func timeZone(of spec: ScheduleSpec) -> TimeZone? {
        TimeZone(identifier: spec.timezone)
    }

    /// The next `count` occurrences strictly after `date`, earliest first (a one-off `at`
    /// yields at most one).
    public func nextRuns(_ spec: ScheduleSpec, after date: Date, count: Int) -> [Date] {
        guard count > 0 else { return [] }
        if let at = spec.at {
            guard let instant = Timestamps.parse(at), instant > date else { return [] }
            return [instant]
        }
        guard let (cron, zone) = Self.cron(of: spec) else { return [] }
        var runs: [Date] = []
        var cursor = date
        while runs.count < count, let next = cron.next(after: cursor, in: zone) {
            runs.append(next)
            cursor = next
        }
        return runs
    }

    /// Occurrences in `(since, now]`, earliest first: what fell due since the scheduler last
    /// looked. At most `dueRunLimit` (the most recent ones).
    public func dueRuns(_ spec: ScheduleSpec, since: Date, until now: Date) -> [Date] {
        guard now > since else { return [] }
        if let at = spec.at {
            guard let instant = Timestamps.parse(at), instant > since, instant <= now else { return [] }
            return [instant]
        }
        guard let (cron, zone) = Self.cron(of: spec) else { return [] }
        var runs: [Date] = []
        var cursor = since
        while let next = cron.next(after: cursor, in: zone), next <= now {
            runs.append(next)
            cursor = next
            if runs.count > dueRunLimit * 2 { runs.removeFirst(runs.count - dueRunLimit) }
        }
        return runs.count > dueRunLimit ? Array(runs.suffix(dueRunLimit)) : runs
    }

    /// Whether a run due at `dueAt` that has not started by `now` must be skipped and recorded
    /// as expired: `now > dueAt + expireAfter`. Without `expireAfter` a run never expires.
    public func isExpired(dueAt: Date, now: Date, spec: ScheduleSpec) -> Bool {
        guard let text = spec.expireAfter, let limit = DurationValue(parsing: text) else { return false }
        return now > dueAt.addingTimeInterval(limit.seconds)
    }

    /// Whether sending may happen at `date`, and the next instant that changes (nil when it
    /// never changes: no window, or one that never opens).
    ///
    /// The window is `[start, end)` in local wall-clock time; `start > end` crosses midnight
    /// (20:00-06:00 is open from 20:00 until 06:00 the next morning). Across a daylight saving
    /// change the window follows the local clock: a start inside a spring-forward gap opens the
    /// window at the end of the gap, and a fall-back that moves the clock back into the window
    /// reopens it.
    public func windowState(_ spec: ScheduleSpec, at date: Date) -> (open: Bool, nextChange: Date?) {
        guard let window = spec.window, let zone = Self.timeZone(of: spec),
              let start = Self.secondsOfDay(window.start), let end = Self.secondsOfDay(window.end)
        else { return (true, nil) }
        guard start != end else { return (false, nil) }
        func isOpen(_ instant: Date) -> Bool {
            let time = LocalClock.floorMod(LocalClock.wallSeconds(of: instant, in: zone), 86_400)
            return start < end ? (time >= start && time < end) : (time >= start || time < end)
        }
        let open = isOpen(date)
        // The open state is constant between the instants where the local clock shows the
        // start or the end, and the instants where the zone's offset changes; test those in order.
        let horizon: Int64 = 4
        let today = LocalClock.floorDiv(LocalClock.wallSeconds(of: date, in: zone), 86_400)
        var candidates: [Date] = []
        for day in (today - 1)...(today + horizon) {
            for boundary in [start, end] {
                candidates += LocalClock.instants(ofWall: day * 86_400 + boundary, in: zone)
            }
        }
        candidates += Self.offsetChanges(in: zone, from: date, days: Int(horizon))
        for candidate in candidates.filter({ $0 > date }).sorted() where isOpen(candidate) != open {
            return (open, candidate)
        }
        return (open, nil)
    }

    // MARK: Helpers

    static func cron(of spec: ScheduleSpec) -> (CronExpression, TimeZone)? {
        guard let text = spec.cron, let cron = try? CronExpression(parsing: text), let zone = timeZone(of: spec) else { return nil }
        return (cron, zone)
    }

    /// `HH:MM` as seconds after midnight.
    static func secondsOfDay(_ text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int64(parts[0]), let minute = Int64(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 3600 + minute * 60
    }

    /// The instants (whole seconds) in `[from, from + days]` at which the zone's UTC offset
    /// changes, found by sampling every six hours and bisecting where the offset differs.
    static func offsetChanges(in zone: TimeZone, from date: Date, days: Int) -> [Date] {
        let step: Int64 = 6 * 3600
        let first = Int64(Timestamps.clampedSeconds(date).rounded(.down))
        func offset(_ seconds: Int64) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))) }
        var changes: [Date] = []
        var low = first
        var lowOffset = offset(low)
        for index in 1...(Int64(days) * 4) {
            let high = first + index * step
            let highOffset = offset(high)
            if highOffset != lowOffset {
                // Invariant: offset(a) == lowOffset, offset(b) != lowOffset.
                var a = low, b = high
                while b - a > 1 {
                    let middle = a + (b - a) / 2
                    if offset(middle) == lowOffset { a = middle } else { b = middle }
                }
                changes.append(Date(timeIntervalSince1970: Double(b)))
            }
            low = high
            lowOffset = highOffset
        }
        return changes
    }
}
