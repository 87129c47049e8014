import Foundation
import GRDB

/// A row of `forward_attempts`.
struct ForwardAttemptRow: StoreReadRow {
    static let keyColumns = ["delivery_id"]

    var deliveryID: Int64
    var at: String
    var httpStatus: Int?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case at, error
        case deliveryID = "delivery_id"
        case httpStatus = "http_status"
    }

    func record() throws -> ForwardAttemptRecord {
        ForwardAttemptRecord(deliveryID: deliveryID, at: try Inbox.date(at), httpStatus: httpStatus, error: error)
    }
}
