import Foundation
import GRDB

/// An outbox row with the error details only the export reads.
struct OutboxExportedRow: StoreReadRow {
    static let keyColumns = OutboxRow.keyColumns

    var row: OutboxRow
    var errorDetails: String?

    enum CodingKeys: String, CodingKey {
        case errorDetails = "error_details"
    }

    init(from decoder: any Decoder) throws {
        row = try OutboxRow(from: decoder)
        errorDetails = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .errorDetails)
    }

    func exported() throws -> OutboxExportRow {
        OutboxExportRow(entry: try row.entry(), errorDetails: errorDetails)
    }
}
