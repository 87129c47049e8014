import Foundation
import GRDB

/// Where an outbox row stands after a status: a failure with 131050 opts the contact out.
struct OutboxStateRow: StoreReadRow {
    static let keyColumns = ["phone"]

    var phone: String
    var state: String
    var errorCode: Int?

    enum CodingKeys: String, CodingKey {
        case phone, state
        case errorCode = "error_code"
    }
}
