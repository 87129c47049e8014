import BizOneModel
import Foundation

/// Times of the v3 tables.
///
/// Times bizone measures itself (webhook receipt, processing, forward attempts and their
/// schedule) keep milliseconds: `2026-11-29T08:00:00.250Z`. Every value of such a column has
/// the fraction, so text order stays time order. Times Meta sends (whole seconds) use
/// `Timestamps.format`. Reading accepts both forms.
enum StoreTime {
    /// `2026-11-29T08:00:00.250Z`, rounded to the millisecond.
    static func milliseconds(_ date: Date) -> String {
        let total = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (total / 1000).rounded(.down)
        let millis = Int(total - seconds * 1000)
        let whole = Timestamps.format(Date(timeIntervalSince1970: seconds))
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return whole.dropLast() + "." + fraction + "Z"
    }

    /// The date `milliseconds` would store (for comparing with what is read back).
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` by hand (it runs for every row read); anything else
    /// goes through `Timestamps.parse`.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return Timestamps.parse(text) }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day)
        else { return Timestamps.parse(text) }
        var fraction: Int64 = 0
        var scale: Int64 = 1
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, bytes.count <= 30, let digits = number(20..<(bytes.count - 1)) else {
                return Timestamps.parse(text)
            }
            fraction = digits
            for _ in 0..<(bytes.count - 21) { scale *= 10 }
        }
        // Days since 1970-01-01 from a civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        // One division of exact integers: the same double `truncated` gives.
        return Date(timeIntervalSince1970: Double(seconds * scale + fraction) / Double(scale))
    }
}
