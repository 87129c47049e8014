import ArgumentParser
import BizOneModel
import Foundation

/// `--since` values: an ISO 8601 time or an age counted back from now.
enum SinceTime {
    static func parse(_ text: String, now: Date = Date()) throws -> Date {
        if let date = Timestamps.parse(text) { return date }
        if let age = DurationValue(parsing: text) { return now.addingTimeInterval(-age.seconds) }
        throw ValidationError("--since \(text): expected an ISO 8601 time such as 2026-11-29T08:00:00Z, or an age such as 2h")
    }
}
