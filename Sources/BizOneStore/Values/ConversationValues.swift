import Foundation

/// Where a conversation is in the team's workflow. A new inbound message reopens any.
public enum ConversationStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case open
    case pending
    case resolved
    /// Put aside until `snoozedUntil`; it counts as open again from then on.
    case snoozed
}

/// The conversations an inbox list asks for. Every filter is optional; they combine.
public struct ConversationQuery: Sendable, Hashable {
    public enum Assignee: Sendable, Hashable {
        case user(String)
        case unassigned
    }

    /// Whose unread counts and "mine" (a user name).
    public var viewer: String
    public var assignee: Assignee?
    public var team: String?
    public var status: ConversationStatus?
    /// Only those with inbound messages the viewer has not read.
    public var unreadOnly: Bool
    public var label: String?
    /// Text search over the messages of the conversation, both directions (case-insensitive).
    public var search: String?
    /// The page after this cursor (from the previous page).
    public var after: ConversationCursor?
    public var limit: Int

    public init(viewer: String, assignee: Assignee? = nil, team: String? = nil, status: ConversationStatus? = nil, unreadOnly: Bool = false,
                label: String? = nil, search: String? = nil, after: ConversationCursor? = nil, limit: Int = 25) {
        self.viewer = viewer
        self.assignee = assignee
        self.team = team
        self.status = status
        self.unreadOnly = unreadOnly
        self.label = label
        self.search = search
        self.after = after
        self.limit = limit
    }
}

/// A position in the list (most recent activity first): opaque text for clients.
public struct ConversationCursor: Sendable, Hashable {
    public var activityAt: String
    public var id: Int64

    public init(activityAt: String, id: Int64) {
        self.activityAt = activityAt
        self.id = id
    }

    public var token: String { Data("\(activityAt)|\(id)".utf8).base64EncodedString() }

    /// nil for text that is not a cursor of ours.
    public init?(token: String) {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]), parts[0].count <= 40 else { return nil }
        self.init(activityAt: String(parts[0]), id: id)
    }
}

/// One conversation as an inbox lists it.
public struct ConversationSummary: Sendable, Hashable {
    public var id: Int64
    public var contactKey: String
    public var name: String?
    public var phone: String?
    /// The status now: a snooze that ran out reads as open.
    public var status: ConversationStatus
    public var snoozedUntil: Date?
    public var assignedUser: String?
    public var assignedTeam: String?
    public var labels: [String]
    /// Inbound messages the viewer has not read.
    public var unread: Int
    public var lastInboundAt: Date?
    public var lastMessageAt: Date?
    public var phoneNumberID: String
    /// The newest message's text (either direction), for the list.
    public var preview: String?
    /// SLA targets missed, as `sla:target` (`support:firstResponse`).
    public var slaBreaches: [String]
    /// The last change to it or in it (a message, a reply's status, a note, a mark).
    public var updatedAt: Date?
}

/// The queue numbers an inbox shows at the top.
public struct ConversationCounts: Sendable, Hashable, Codable {
    public var mine: Int
    public var unassigned: Int
    public var all: Int
    public var byStatus: [String: Int]
}

/// What an agent sends.
public enum ReplyContent: Sendable, Hashable {
    case text(String)
    /// An approved template with its parameter values (keys as campaigns use them).
    case template(name: String, language: String, parameters: [String: String])
}

/// Where a reply is: stored before it is sent, then accepted by Meta (its later statuses are
/// the ledger's) or failed.
public enum ReplyState: String, Sendable, Hashable, Codable {
    case queued, sending, accepted, failed
}

public struct ReplyRecord: Sendable, Hashable {
    public var id: Int64
    public var conversationID: Int64
    public var author: String
    public var content: ReplyContent
    public var state: ReplyState
    public var wamid: String?
    public var errorCode: Int?
    public var errorTitle: String?
    public var createdAt: Date
}

/// A reply to send, with where it goes.
public struct ReplyToSend: Sendable, Hashable {
    public var reply: ReplyRecord
    /// The business number the conversation is on (which integration sends it).
    public var phoneNumberID: String
    /// The customer: their WhatsApp id (digits) when known, else their BSUID.
    public var recipient: String
}

/// One message of a thread, either direction.
public struct ThreadMessage: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, Codable { case inbound, outbound }

    public var direction: Direction
    /// The wamid (inbound, or outbound once Meta accepted it).
    public var wamid: String?
    /// The reply's id (outbound).
    public var replyID: Int64?
    public var at: Date
    public var type: String
    public var text: String?
    public var author: String?
    /// Outbound: the reply's state until accepted, then the ledger's status (sent, delivered, read, failed).
    public var status: String?
    public var history: [MessageTransition]
    public var errorCode: Int?
    public var errorTitle: String?
}

public struct ConversationNote: Sendable, Hashable {
    public var id: Int64
    public var author: String
    public var body: String
    public var mentions: [String]
    public var createdAt: Date
}

/// A conversation with everything in it, for its page.
public struct ConversationThread: Sendable, Hashable {
    public var summary: ConversationSummary
    public var messages: [ThreadMessage]
    public var notes: [ConversationNote]
}

/// A contact opted out or back in by hand.
public struct ContactOptChange: Sendable, Hashable {
    public var phone: String
    public var optedOut: Bool
    public var by: String
    public var at: Date
}
