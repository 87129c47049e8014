import BizOneModel
import Foundation
import GRDB

/// Common shape of the rows the store only reads (selected columns, joins, counts): decoded by
/// column name or `AS` alias, with the ISO-text dates of `StoreRow`.
///
/// Decoding throws where a positional `row[i]` would trap, so a damaged state file is reported
/// (`StoreError.corrupt`) instead of crashing the process that reads it.
protocol StoreReadRow: Decodable, FetchableRecord, Sendable {
    /// Columns that identify the row in an error message (`id`, or `run_id` and `phone`).
    static var keyColumns: [String] { get }
}

extension StoreReadRow {
    static var keyColumns: [String] { [] }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in String.fromDatabaseValue(value).flatMap(Timestamps.parse) }
    }

    /// Every row of the statement. Rows are copied out of SQLite first: a copied row converts
    /// values as `DatabaseValueConvertible` does, so text in an INTEGER column is an error rather
    /// than the 0 SQLite's own coercion would make of it.
    static func all(_ statement: Statement, _ arguments: StatementArguments = [], table: String) throws -> [Self] {
        try Row.fetchAll(statement, arguments: arguments).map { try decode($0, table: table) }
    }

    /// The first row of the statement, if any (see `all`).
    static func one(_ statement: Statement, _ arguments: StatementArguments = [], table: String) throws -> Self? {
        try Row.fetchOne(statement, arguments: arguments).map { try decode($0, table: table) }
    }

    /// One row, its decoding failure as `StoreError.corrupt` naming the table, the row and the column.
    static func decode(_ row: Row, table: String) throws -> Self {
        do {
            return try Self(row: row)
        } catch let error as RowDecodingError {
            throw StoreError.corrupt("\(table)\(describeKey(of: row)): \(summary(of: error))")
        } catch let error as DecodingError {
            throw StoreError.corrupt("\(table)\(describeKey(of: row)): \(error)")
        }
    }

    private static func describeKey(of row: Row) -> String {
        let parts = keyColumns.map { column in "\(column) \(row[column].map { "\($0)" } ?? "NULL")" }
        return parts.isEmpty ? "" : " row " + parts.joined(separator: ", ")
    }

    /// GRDB's message up to the column; the rest (the whole row, the SQL and its arguments) can
    /// run to kilobytes for a webhook body.
    private static func summary(of error: RowDecodingError) -> String {
        let text = "\(error)"
        guard let cut = text.range(of: ", row: ") else { return text }
        return String(text[..<cut.lowerBound])
    }

    /// A `total()` or `SUM()` result as a count. SQLite returns these as REAL; one that is not a
    /// whole number in `Int`'s range (NaN, 1e300) can only come from a damaged file.
    static func count(_ total: Double, _ column: String) throws -> Int {
        guard let count = Int(exactly: total) else {
            throw StoreError.corrupt("\(column) is \(total), not a count")
        }
        return count
    }
}
