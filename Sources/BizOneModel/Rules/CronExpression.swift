import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week).
///
/// Parsed into explicit sets so validation errors can name the field, and so schedule code can
/// test a local time against it without re-parsing.
public struct CronExpression: Sendable, Hashable {
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
    }

    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var daysOfMonth: Set<Int>
    public var months: Set<Int>
    /// 0 = Sunday ... 6 = Saturday (7 is folded into 0).
    public var daysOfWeek: Set<Int>
    /// Cron's rule: when both day fields are restricted, a day matches if either matches.
    public var dayOfMonthRestricted: Bool
    public var dayOfWeekRestricted: Bool

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(parsing text: String) throws {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "expected 5 fields, found \(fields.count)")
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day-of-month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, nameOffset: 1)
        let dow = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames)
        daysOfWeek = Set(dow.map { $0 == 7 ? 0 : $0 })
        dayOfMonthRestricted = !(fields[2] == "*" || fields[2] == "?")
        dayOfWeekRestricted = !(fields[4] == "*" || fields[4] == "?")
    }

    /// Whether a local calendar time (as components) matches.
    public func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        return matchesDay(day: day, weekday: weekday)
    }

    private static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String], nameOffset: Int = 0) throws -> Set<Int> {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw ParseError(message: "empty list item in \(name) field") }
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard stepParts.count <= 2 else { throw ParseError(message: "bad step in \(name) field: \(part)") }
            var step = 1
            if stepParts.count == 2 {
                guard let value = Int(stepParts[1]), value > 0 else {
                    throw ParseError(message: "bad step \"\(stepParts[1])\" in \(name) field")
                }
                step = value
            }
            let base = stepParts[0]
            var lower = range.lowerBound, upper = range.upperBound
            if base == "*" || base == "?" {
                // full range
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard bounds.count <= 2 else { throw ParseError(message: "bad range in \(name) field: \(base)") }
                lower = try value(bounds[0], name: name, range: range, names: names, nameOffset: nameOffset)
                upper = bounds.count == 2 ? try value(bounds[1], name: name, range: range, names: names, nameOffset: nameOffset) : (stepParts.count == 2 ? range.upperBound : lower)
                guard lower <= upper else { throw ParseError(message: "range \(base) in \(name) field runs backwards") }
            }
            result.formUnion(stride(from: lower, through: upper, by: step))
        }
        return result
    }

    private static func value(_ text: String, name: String, range: ClosedRange<Int>, names: [String], nameOffset: Int) throws -> Int {
        if let index = names.firstIndex(of: text.uppercased()) { return index + nameOffset }
        guard let number = Int(text) else { throw ParseError(message: "\"\(text)\" is not a valid \(name)") }
        guard range.contains(number) else {
            throw ParseError(message: "\(name) \(number) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}

extension CronExpression {
    /// How far `next(after:in:)` looks before concluding the expression never fires again
    /// (e.g. `0 0 30 2 *`): five years covers every leap-day and weekday combination.
    public static let searchDays = 5 * 366

    /// The first instant strictly after `date` whose wall-clock time in `timeZone` matches.
    ///
    /// Daylight saving time is handled on wall-clock terms, the way people read a schedule:
    /// a local time that does not exist (skipped by a spring-forward jump, e.g. 02:30 in
    /// New York on the second Sunday of March) does not fire that day; a local time that
    /// happens twice (a fall-back repeat, e.g. 01:30 on the first Sunday of November) fires
    /// once, at its first occurrence. Nil when nothing matches within `searchDays`.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        // The local day of `date`, and one before it in case an offset change moves a wall
        // time of the previous day past `date`.
        let local = LocalClock.wallSeconds(of: date, in: timeZone)
        let firstDay = LocalClock.floorDiv(local, 86_400) - 1
        for day in firstDay...(firstDay + Int64(Self.searchDays)) {
            let civil = CivilDate(daysSinceEpoch: day)
            guard months.contains(civil.month),
                  matchesDay(day: civil.day, weekday: civil.weekday) else { continue }
            for hour in sortedHours {
                for minute in sortedMinutes {
                    let wall = day * 86_400 + Int64(hour * 3600 + minute * 60)
                    // The first occurrence only: a repeated wall time fires once; a missing one never.
                    guard let instant = LocalClock.instants(ofWall: wall, in: timeZone).first else { continue }
                    if instant > date { return instant }
                }
            }
        }
        return nil
    }

    /// The day part of `matches`: cron's rule that when both day fields are restricted, a day
    /// matches if either does.
    func matchesDay(day: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth.contains(day)
        let dowMatch = daysOfWeek.contains(weekday)
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }
}

/// A proleptic Gregorian date computed from days since 1970-01-01 (Howard Hinnant's
/// algorithms), so schedule arithmetic needs no Calendar and no locale.
struct CivilDate: Hashable {
    var year: Int
    var month: Int
    var day: Int
    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int

    init(daysSinceEpoch days: Int64) {
        let (year, month, day) = Timestamps.civilDate(daysSinceEpoch: days)
        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
        // 1970-01-01 was a Thursday.
        weekday = Int(LocalClock.floorMod(days + 4, 7))
    }
}

/// Wall-clock seconds ("local time as if it were UTC") and the instants they stand for.
enum LocalClock {
    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    static func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 { value - floorDiv(value, divisor) * divisor }

    /// Local wall-clock seconds since 1970-01-01T00:00 local, whole seconds (rounded down).
    static func wallSeconds(of date: Date, in timeZone: TimeZone) -> Int64 {
        Int64(Timestamps.clampedSeconds(date).rounded(.down)) + Int64(timeZone.secondsFromGMT(for: date))
    }

    /// Every instant whose local wall-clock time is `wall`, earliest first: none inside a
    /// spring-forward gap, two inside a fall-back repeat, otherwise one.
    static func instants(ofWall wall: Int64, in timeZone: TimeZone) -> [Date] {
        // Offsets in force around the wall time; a day either side covers any transition
        // that could make the wall time ambiguous or missing.
        var offsets: [Int64] = []
        for probe in [wall - 86_400, wall, wall + 86_400] {
            let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(probe))))
            if !offsets.contains(offset) { offsets.append(offset) }
        }
        var result: [Date] = []
        for offset in offsets {
            let instant = Date(timeIntervalSince1970: Double(wall - offset))
            if Int64(timeZone.secondsFromGMT(for: instant)) == offset, !result.contains(instant) { result.append(instant) }
        }
        return result.sorted()
    }
}
