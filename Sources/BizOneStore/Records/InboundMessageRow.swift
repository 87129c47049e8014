import BizOneModel
import Foundation
import GRDB

/// A row of `inbound_messages`.
struct InboundMessageRow: StoreReadRow {
    static let keyColumns = ["wamid"]

    var wamid: String
    var conversationID: Int64
    var contactKey: String
    var type: String
    var text: String?
    var receivedAt: String
    var raw: String
    var eventID: Int64

    enum CodingKeys: String, CodingKey {
        case wamid, type, text, raw
        case conversationID = "conversation_id"
        case contactKey = "contact_key"
        case receivedAt = "received_at"
        case eventID = "event_id"
    }

    func record() throws -> InboundMessageRecord {
        InboundMessageRecord(wamid: wamid, conversationID: conversationID, contactKey: contactKey, type: type, text: text,
                             receivedAt: try Inbox.date(receivedAt), raw: raw, eventID: eventID)
    }
}
