import BizOneModel
import Foundation
import GRDB

/// A row of `forward_deliveries` as `Forwards.columns` selects it.
struct ForwardDeliveryRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var eventID: Int64
    var route: String
    var url: String
    var secretRef: String
    var status: String
    var attempts: Int
    var maxAttempts: Int
    var backoffMilliseconds: Int
    var nextAttemptAt: String
    var lastError: String?
    var createdAt: String
    var deliveredAt: String?

    enum CodingKeys: String, CodingKey {
        case id, route, url, status, attempts
        case eventID = "event_id"
        case secretRef = "secret_ref"
        case maxAttempts = "max_attempts"
        case backoffMilliseconds = "backoff_ms"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    func delivery() throws -> ForwardDelivery {
        ForwardDelivery(id: id, eventID: eventID, route: route, url: url, secretRef: secretRef, status: status,
                        attempts: attempts, maxAttempts: maxAttempts, backoffMilliseconds: backoffMilliseconds,
                        nextAttemptAt: try Inbox.date(nextAttemptAt), lastError: lastError, createdAt: try Inbox.date(createdAt),
                        deliveredAt: deliveredAt.flatMap(Timestamps.parse))
    }
}
