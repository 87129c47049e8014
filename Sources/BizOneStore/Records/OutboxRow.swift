import BizOneModel
import Foundation
import GRDB

/// A row of `outbox` as `Outbox.columns` selects it.
struct OutboxRow: StoreReadRow {
    static let keyColumns = ["run_id", "phone"]

    var runID: Int64
    var phone: String
    var name: String?
    var attributes: String
    var state: String
    var attempts: Int
    var wamid: String?
    var errorCode: Int?
    var errorTitle: String?
    var skipReason: String?
    var nextAttemptAt: String?
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case phone, name, attributes, state, attempts, wamid
        case runID = "run_id"
        case errorCode = "error_code"
        case errorTitle = "error_title"
        case skipReason = "skip_reason"
        case nextAttemptAt = "next_attempt_at"
        case updatedAt = "updated_at"
    }

    func entry() throws -> OutboxEntry {
        guard let state = OutboxState(rawValue: state) else {
            throw StoreError.corrupt("outbox row \(runID)/\(phone) has an unknown state \(self.state)")
        }
        guard let updated = Timestamps.parse(updatedAt) else {
            throw StoreError.corrupt("outbox row \(runID)/\(phone) has an unreadable time \(updatedAt)")
        }
        return OutboxEntry(runID: runID, phone: phone, name: name, attributes: try decodedAttributes(), state: state,
                           attempts: attempts, wamid: wamid, errorCode: errorCode, errorTitle: errorTitle, skipReason: skipReason,
                           nextAttemptAt: nextAttemptAt.flatMap(Timestamps.parse), updatedAt: updated)
    }

    /// `queueOutbox` writes an object of strings; anything else was not written by BizOne.
    private func decodedAttributes() throws -> [String: String] {
        if attributes == "{}" { return [:] }
        guard let decoded = (try? JSONValue.parse(attributes))?.stringMembers else {
            throw StoreError.corrupt("outbox row \(runID)/\(phone) has unreadable attributes")
        }
        return decoded
    }
}
