import BizOneModel
import Foundation
import GRDB

/// A row of `audience_imports`: what the audience's last import read.
struct AudienceImportRow: StoreReadRow {
    static let keyColumns = ["audience"]

    var rows: Int
    var valid: Int
    var invalid: Int
    var duplicates: Int
    var members: Int
    var optedOut: Int

    enum CodingKeys: String, CodingKey {
        case rows, valid, invalid, duplicates, members
        case optedOut = "opted_out"
    }

    var counts: AudienceImportCounts {
        AudienceImportCounts(rows: rows, valid: valid, invalid: invalid, duplicates: duplicates, members: members, optedOut: optedOut)
    }
}
