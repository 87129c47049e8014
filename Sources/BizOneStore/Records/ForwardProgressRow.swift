import Foundation
import GRDB

/// What recording a forward attempt needs to know of the delivery.
struct ForwardProgressRow: StoreReadRow {
    static let keyColumns = ["id"]

    var status: String
    var attempts: Int
    var maxAttempts: Int
    var backoffMilliseconds: Int

    enum CodingKeys: String, CodingKey {
        case status, attempts
        case maxAttempts = "max_attempts"
        case backoffMilliseconds = "backoff_ms"
    }
}
