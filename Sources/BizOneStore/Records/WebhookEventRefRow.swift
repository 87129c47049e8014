import BizOneModel
import Foundation
import GRDB

/// `id, received_at` of an event-log row, without the body.
struct WebhookEventRefRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var receivedAt: String

    enum CodingKeys: String, CodingKey {
        case id
        case receivedAt = "received_at"
    }

    func ref() throws -> WebhookEventRef {
        guard let received = Timestamps.parse(receivedAt) else {
            throw StoreError.corrupt("webhook event \(id) has an unreadable received_at \(receivedAt)")
        }
        return WebhookEventRef(id: id, receivedAt: received)
    }
}
