import BizOneModel
import Foundation
import GRDB

/// A conversation as the inbox list selects it (`InboxAPI.listSQL`).
struct ConversationListRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var contactKey: String
    var name: String?
    var phone: String?
    var status: String
    var snoozedUntil: String?
    var assignedUser: String?
    var assignedTeam: String?
    var lastInboundAt: String?
    var lastMessageAt: String?
    var phoneNumberID: String
    var activityAt: String
    var updatedAt: String?
    var unreadForViewer: Int
    var labels: String?
    var inboundText: String?
    var inboundAt: String?
    var replyText: String?
    var replyAt: String?
    var breaches: String?

    enum CodingKeys: String, CodingKey {
        case id, name, phone, status, labels, breaches
        case contactKey = "contact_key"
        case snoozedUntil = "snoozed_until"
        case assignedUser = "assigned_user"
        case assignedTeam = "assigned_team"
        case lastInboundAt = "last_inbound_at"
        case lastMessageAt = "last_message_at"
        case phoneNumberID = "phone_number_id"
        case activityAt = "activity_at"
        case updatedAt = "updated_at"
        case unreadForViewer = "unread_for_viewer"
        case inboundText = "inbound_text"
        case inboundAt = "inbound_at"
        case replyText = "reply_text"
        case replyAt = "reply_at"
    }

    func summary() throws -> ConversationSummary {
        guard let status = ConversationStatus(rawValue: status) else {
            throw StoreError.corrupt("conversations row id \(id): unknown status \(status)")
        }
        // The newer of the last inbound message and the last reply (times compare as text).
        let preview = (replyAt ?? "") > (inboundAt ?? "") ? replyText : inboundText
        return ConversationSummary(
            id: id, contactKey: contactKey, name: name, phone: phone, status: status, snoozedUntil: snoozedUntil.flatMap(Timestamps.parse),
            assignedUser: assignedUser, assignedTeam: assignedTeam,
            labels: (labels ?? "").split(separator: "\n").map(String.init).sorted(), unread: max(0, unreadForViewer),
            lastInboundAt: lastInboundAt.flatMap(Timestamps.parse), lastMessageAt: lastMessageAt.flatMap(Timestamps.parse),
            phoneNumberID: phoneNumberID, preview: preview,
            slaBreaches: (breaches ?? "").split(separator: "\n").map { $0.replacingOccurrences(of: " ", with: ":") }.sorted(),
            updatedAt: updatedAt.flatMap(Timestamps.parse))
    }
}

/// A row of `replies`.
struct ReplyRow: StoreRow {
    static let databaseTableName = "replies"

    var id: Int64?
    var conversationID: Int64
    var author: String
    var kind: String
    var text: String?
    var templateName: String?
    var templateLanguage: String?
    var parameters: String?
    var state: String
    var wamid: String?
    var errorCode: Int?
    var errorTitle: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, author, kind, text, parameters, state, wamid
        case conversationID = "conversation_id"
        case templateName = "template_name"
        case templateLanguage = "template_language"
        case errorCode = "error_code"
        case errorTitle = "error_title"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let conversationID = Column(CodingKeys.conversationID)
        static let state = Column(CodingKeys.state)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(conversationID: Int64, author: String, content: ReplyContent, at: Date) throws {
        self.conversationID = conversationID
        self.author = author
        switch content {
        case .text(let body):
            kind = "text"
            text = body
        case let .template(name, language, values):
            kind = "template"
            templateName = name
            templateLanguage = language
            parameters = String(data: try JSONEncoder.sorted.encode(values), encoding: .utf8)
        }
        state = ReplyState.queued.rawValue
        createdAt = at
        updatedAt = at
    }

    func record() throws -> ReplyRecord {
        guard let id, let state = ReplyState(rawValue: state) else { throw StoreError.corrupt("replies row \(id ?? -1): unknown state \(state)") }
        let content: ReplyContent
        if kind == "template", let templateName, let templateLanguage {
            let values = try parameters.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            content = .template(name: templateName, language: templateLanguage, parameters: values)
        } else {
            content = .text(text ?? "")
        }
        return ReplyRecord(id: id, conversationID: conversationID, author: author, content: content, state: state, wamid: wamid,
                           errorCode: errorCode, errorTitle: errorTitle, createdAt: createdAt)
    }
}

/// A row of `conversation_notes`.
struct NoteRow: StoreRow {
    static let databaseTableName = "conversation_notes"

    var id: Int64?
    var conversationID: Int64
    var author: String
    var body: String
    var mentions: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, author, body, mentions
        case conversationID = "conversation_id"
        case createdAt = "created_at"
    }

    enum Columns {
        static let conversationID = Column(CodingKeys.conversationID)
        static let id = Column(CodingKeys.id)
    }

    var note: ConversationNote {
        let names = (try? JSONDecoder().decode([String].self, from: Data(mentions.utf8))) ?? []
        return ConversationNote(id: id ?? 0, author: author, body: body, mentions: names, createdAt: createdAt)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Conversations counted by status and assignee (`conversationCounts`).
struct StatusCountRow: StoreReadRow {
    var status: String
    var assignedUser: String?
    var count: Int

    enum CodingKeys: String, CodingKey {
        case status, count
        case assignedUser = "assigned_user"
    }
}

/// A queued reply and where it goes (`claimReplies`).
struct ReplyTargetRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var phoneNumberID: String
    var waID: String?
    var userID: String?

    enum CodingKeys: String, CodingKey {
        case id
        case phoneNumberID = "phone_number_id"
        case waID = "wa_id"
        case userID = "user_id"
    }
}

/// The newest inbound messages of a conversation (`markConversation`).
struct InboundMarkRow: StoreReadRow {
    var wamid: String
    var receivedAt: String

    enum CodingKeys: String, CodingKey {
        case wamid
        case receivedAt = "received_at"
    }
}

/// A row of `contact_opt_changes`.
struct ContactOptChangeRow: StoreRow {
    static let databaseTableName = "contact_opt_changes"

    var id: Int64?
    var phone: String
    var optedOut: Bool
    var by: String
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id, phone, by, at
        case optedOut = "opted_out"
    }

    enum Columns {
        static let phone = Column(CodingKeys.phone)
        static let id = Column(CodingKeys.id)
    }

    var change: ContactOptChange { ContactOptChange(phone: phone, optedOut: optedOut, by: by, at: at) }
}

/// What the SLA clock reads of a conversation (`slaFacts`).
struct SLAFactsRow: StoreReadRow {
    static let keyColumns = ["id"]

    var id: Int64
    var assignedTeam: String?
    var routedBy: String?
    var status: String
    var labels: String?
    var firstInboundAt: Date?
    var firstReplyAt: Date?
    var awaitingSince: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, labels
        case assignedTeam = "assigned_team"
        case routedBy = "routed_by"
        case firstInboundAt = "first_inbound_at"
        case firstReplyAt = "first_reply_at"
        case awaitingSince = "awaiting_since"
    }

    var facts: SLAConversationFacts {
        SLAConversationFacts(conversationID: id, team: assignedTeam, route: routedBy, labels: (labels ?? "").split(separator: "\n").map(String.init),
                             resolved: status == ConversationStatus.resolved.rawValue, firstInboundAt: firstInboundAt,
                             firstReplyAt: firstReplyAt, awaitingSince: awaitingSince)
    }
}

/// A row of `sla_breaches`.
struct SLABreachRow: StoreRow {
    static let databaseTableName = "sla_breaches"

    var conversationID: Int64
    var sla: String
    var target: String
    var dueAt: Date
    var foundAt: Date
    var escalated: Bool

    enum CodingKeys: String, CodingKey {
        case sla, target, escalated
        case conversationID = "conversation_id"
        case dueAt = "due_at"
        case foundAt = "found_at"
    }

    enum Columns {
        static let conversationID = Column(CodingKeys.conversationID)
        static let dueAt = Column(CodingKeys.dueAt)
    }

    var breach: SLABreach? {
        SLATarget(rawValue: target).map { SLABreach(conversationID: conversationID, sla: sla, target: $0, dueAt: dueAt) }
    }
}

/// A queued read receipt (`queuedReadReceipts`).
struct ReadReceiptRow: StoreReadRow {
    static let keyColumns = ["wamid"]

    var wamid: String
    var phoneNumberID: String

    enum CodingKeys: String, CodingKey {
        case wamid
        case phoneNumberID = "phone_number_id"
    }
}
