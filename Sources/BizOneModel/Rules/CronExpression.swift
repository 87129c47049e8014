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
        let domMatch = daysOfMonth.contains(day)
        let dowMatch = daysOfWeek.contains(weekday)
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
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
