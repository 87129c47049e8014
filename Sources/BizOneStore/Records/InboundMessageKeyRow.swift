import Foundation
import GRDB

/// Where a known inbound message was filed: what a replayed webhook answers with.
struct InboundMessageKeyRow: StoreReadRow {
    var conversationID: Int64
    var contactKey: String

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case contactKey = "contact_key"
    }
}
