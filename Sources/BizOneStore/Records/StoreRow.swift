import BizOneModel
import Foundation
import GRDB

/// Common shape of every table row: Codable GRDB records whose dates are ISO 8601 text.
///
/// ISO text (the same form `Timestamps.format` prints) keeps the file readable with the
/// `sqlite3` shell and sorts chronologically. Raw SQL that binds a date must bind
/// `Timestamps.format(date)`, never a `Date`, so both paths write the same form.
protocol StoreRow: Codable, FetchableRecord, PersistableRecord, Sendable {}

extension StoreRow {
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { Timestamps.format($0) }
    }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in String.fromDatabaseValue(value).flatMap(Timestamps.parse) }
    }
}
