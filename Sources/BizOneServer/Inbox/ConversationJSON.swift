import BizOneStore
import Foundation

/// The inbox's answers, as the API sends them (camelCase, times as ISO 8601 UTC).
enum ConversationJSON {
    struct Summary: Encodable {
        var id: Int64
        var contact: Contact
        var status: String
        var snoozedUntil: Date?
        var assignedUser: String?
        var assignedTeam: String?
        var labels: [String]
        var unread: Int
        var lastInboundAt: Date?
        var lastMessageAt: Date?
        /// When the 24-hour customer-service window closes (nil: never opened); free text
        /// replies only before it.
        var serviceWindowEndsAt: Date?
        var preview: String?
        /// SLA targets missed, `sla:target`.
        var slaBreaches: [String]
    }

    struct Contact: Encodable {
        var key: String
        var name: String?
        var phone: String?
    }

    struct Page: Encodable {
        var conversations: [Summary]
        var nextCursor: String?
    }

    struct Message: Encodable {
        var direction: String
        var wamid: String?
        var replyId: Int64?
        var at: Date
        var type: String
        var text: String?
        var author: String?
        var status: String?
        var statusHistory: [Transition]
        var error: MessageError?
    }

    struct Transition: Encodable {
        var status: String
        var at: Date
    }

    struct MessageError: Encodable {
        var code: Int?
        var title: String?
    }

    struct Note: Encodable {
        var id: Int64
        var author: String
        var body: String
        var mentions: [String]
        var createdAt: Date
    }

    struct Thread: Encodable {
        var conversation: Summary
        var messages: [Message]
        var notes: [Note]
    }

    struct Reply: Encodable {
        var id: Int64
        var state: String
        var createdAt: Date
    }

    static func summary(_ item: ConversationSummary, window: TimeInterval) -> Summary {
        Summary(id: item.id, contact: Contact(key: item.contactKey, name: item.name, phone: item.phone), status: item.status.rawValue,
                snoozedUntil: item.snoozedUntil, assignedUser: item.assignedUser, assignedTeam: item.assignedTeam, labels: item.labels,
                unread: item.unread, lastInboundAt: item.lastInboundAt, lastMessageAt: item.lastMessageAt,
                serviceWindowEndsAt: item.lastInboundAt.map { $0 + window }, preview: item.preview, slaBreaches: item.slaBreaches)
    }

    static func thread(_ thread: ConversationThread, window: TimeInterval) -> Thread {
        Thread(conversation: summary(thread.summary, window: window),
               messages: thread.messages.map { message in
                   Message(direction: message.direction.rawValue, wamid: message.wamid, replyId: message.replyID, at: message.at,
                           type: message.type, text: message.text, author: message.author, status: message.status,
                           statusHistory: message.history.map { Transition(status: $0.status, at: $0.at) },
                           error: message.errorCode == nil && message.errorTitle == nil ? nil
                               : MessageError(code: message.errorCode, title: message.errorTitle))
               },
               notes: thread.notes.map { Note(id: $0.id, author: $0.author, body: $0.body, mentions: $0.mentions, createdAt: $0.createdAt) })
    }
}
