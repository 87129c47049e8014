import BizOneModel
import Foundation
import GRDB

/// Where an outbox row stands after a status: a failure with 131050 opts the contact out.
struct OutboxStateRow: StoreReadRow {
    static let keyColumns = ["phone"]

    var phone: String
    var state: OutboxState
    var errorCode: Int?

    /// Meta refused the message because the recipient stopped marketing messages.
    var optsContactOut: Bool { state == .failed && errorCode == Outbox.optOutCode }

    enum CodingKeys: String, CodingKey {
        case phone, state
        case errorCode = "error_code"
    }
}
