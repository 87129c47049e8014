import BizOneModel
import Foundation
import GRDB

/// A row of `chat_contacts` as the inbox reads it.
struct ChatContactReadRow: StoreReadRow {
    static let keyColumns = ["key"]

    var key: String
    var waID: String?
    var userID: String?
    var name: String?
    var phone: String?
    var lastInboundAt: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case key, name, phone
        case waID = "wa_id"
        case userID = "user_id"
        case lastInboundAt = "last_inbound_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func record() throws -> ChatContactRecord {
        ChatContactRecord(key: key, waID: waID, userID: userID, name: name, phone: phone,
                          lastInboundAt: lastInboundAt.flatMap(Timestamps.parse),
                          createdAt: try Inbox.date(createdAt), updatedAt: try Inbox.date(updatedAt))
    }
}
