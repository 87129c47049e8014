import Foundation

/// ISO 8601 parsing and printing in one place, so every module writes and reads times the
/// same way: the state store, plans, reports and diagnostics.
///
/// Hand-written rather than through `ISO8601DateFormatter`: building one per call (ICU
/// underneath) dominated bulk imports, and the state store reads a time for every row.
///
/// Never traps: dates come from outside (webhook timestamps, `Retry-After`, the state file),
/// so printing clamps them to years 0000-9999 and parsing checks every field's range.
public enum Timestamps {
    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what four year digits can print.
    public static let earliest: Double = -62_167_219_200
    public static let latest: Double = 253_402_300_799

    /// `2026-11-29T08:00:00Z` (UTC, whole seconds, rounded down).
    public static func format(_ date: Date) -> String {
        let (days, secondOfDay) = split(clampedSeconds(date).rounded(.down))
        return civil(days) + "T" + clock(secondOfDay) + "Z"
    }

    /// `2026-11-29T08:00:00.250Z`: the state store's own times (receipt, processing, attempts)
    /// keep milliseconds, always three digits, so text order stays time order.
    public static func formatMilliseconds(_ date: Date) -> String {
        let total = (clampedSeconds(date) * 1000).rounded()
        let seconds = (total / 1000).rounded(.down)
        let millis = Int(total - seconds * 1000)
        let (days, secondOfDay) = split(seconds)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return civil(days) + "T" + clock(secondOfDay) + "." + fraction + "Z"
    }

    /// The date `formatMilliseconds` would store, for comparing with what is read back.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (clampedSeconds(date) * 1000).rounded() / 1000)
    }

    /// `2026-11-29 15:00` as the wall clock in `zone` reads, for tables.
    public static func formatLocal(_ date: Date, in zone: TimeZone) -> String {
        let offset = Double(zone.secondsFromGMT(for: date))
        let local = min(max(clampedSeconds(date) + offset, earliest), latest)
        let (days, secondOfDay) = split(local.rounded(.down))
        return civil(days) + " " + String(clock(secondOfDay).prefix(5))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` is read by hand (it runs for every row the store
    /// reads); other ISO 8601 forms (offsets such as `+07:00`) go through Foundation.
    /// Nil for anything that is not a valid instant.
    public static func parse(_ text: String) -> Date? {
        if let date = parseUTC(Array(text.utf8)) { return date }
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E }), text.utf8.count <= 64 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    // MARK: - Civil dates (Howard Hinnant's algorithms)

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month and day of the date `days` after 1970-01-01.
    public static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: - Private

    /// Seconds since 1970 within what four year digits can print; NaN reads as the epoch.
    static func clampedSeconds(_ date: Date) -> Double {
        let seconds = date.timeIntervalSince1970
        guard !seconds.isNaN else { return 0 }
        return min(max(seconds, earliest), latest)
    }

    /// Whole (clamped) seconds as days since the epoch and the second of that day.
    private static func split(_ seconds: Double) -> (days: Int64, secondOfDay: Int64) {
        let whole = Int64(seconds)
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        return (days, whole - days * 86_400)
    }

    private static func civil(_ days: Int64) -> String {
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day)
    }

    private static func clock(_ secondOfDay: Int64) -> String {
        two(secondOfDay / 3600) + ":" + two(secondOfDay % 3600 / 60) + ":" + two(secondOfDay % 60)
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func parseUTC(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20, bytes.count <= 30, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
              bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte &- UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month),
              (1...daysInMonth(year: year, month: month)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction: Int64 = 0
        var scale: Int64 = 1
        if bytes.count > 20 {
            // At most 9 fraction digits (the length check above), so fraction and scale fit.
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, let digits = number(20..<(bytes.count - 1)) else { return nil }
            fraction = digits
            for _ in 0..<(bytes.count - 21) { scale *= 10 }
        }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        // One division of exact integers when it fits (the same double `truncatedToMilliseconds`
        // gives); years past 2262 with nine fraction digits take the floating-point way.
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: scale)
        let (exact, carry) = scaled.addingReportingOverflow(fraction)
        if !overflow, !carry { return Date(timeIntervalSince1970: Double(exact) / Double(scale)) }
        return Date(timeIntervalSince1970: Double(seconds) + Double(fraction) / Double(scale))
    }
}
