import BizOneModel
import Foundation
import GRDB

/// A conversation joined with its chat contact's name and phone (`Inbox.conversationColumns`).
struct ConversationRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var contactKey: String
    var name: String?
    var phone: String?
    var status: String
    var unread: Int
    var lastInboundAt: String?
    var lastMessageAt: String?
    var assignedUser: String?
    var assignedTeam: String?
    var phoneNumberID: String

    enum CodingKeys: String, CodingKey {
        case id, name, phone, status, unread
        case contactKey = "contact_key"
        case lastInboundAt = "last_inbound_at"
        case lastMessageAt = "last_message_at"
        case assignedUser = "assigned_user"
        case assignedTeam = "assigned_team"
        case phoneNumberID = "phone_number_id"
    }

    var record: ConversationRecord {
        ConversationRecord(id: id, contactKey: contactKey, name: name, phone: phone, status: status, unread: unread,
                           lastInboundAt: lastInboundAt.flatMap(Timestamps.parse),
                           lastMessageAt: lastMessageAt.flatMap(Timestamps.parse),
                           assignedUser: assignedUser, assignedTeam: assignedTeam, phoneNumberID: phoneNumberID)
    }
}
