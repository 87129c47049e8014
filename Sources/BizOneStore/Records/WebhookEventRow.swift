import BizOneModel
import Foundation
import GRDB

/// A row of `webhook_events` as `EventLog.columns` selects it.
struct WebhookEventRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var receivedAt: String
    var path: String
    var bodyHash: String
    var body: Data?
    var outcome: String
    var rejectReason: String?
    var processedAt: String?
    var processingError: String?
    var deliveries: Int

    enum CodingKeys: String, CodingKey {
        case id, path, body, outcome, deliveries
        case receivedAt = "received_at"
        case bodyHash = "body_hash"
        case rejectReason = "reject_reason"
        case processedAt = "processed_at"
        case processingError = "processing_error"
    }

    func event() throws -> StoredWebhookEvent {
        guard let received = Timestamps.parse(receivedAt) else {
            throw StoreError.corrupt("webhook event \(id) has an unreadable received_at \(receivedAt)")
        }
        guard let outcome = IncomingWebhook.Outcome(rawValue: outcome) else {
            throw StoreError.corrupt("webhook event \(id) has an unknown outcome \(self.outcome)")
        }
        return StoredWebhookEvent(
            id: id, receivedAt: received, path: path, bodyHash: bodyHash, body: body ?? Data(), outcome: outcome,
            rejectReason: rejectReason, processedAt: processedAt.flatMap(Timestamps.parse), processingError: processingError,
            deliveries: deliveries)
    }
}
