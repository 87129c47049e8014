import Foundation

/// Outgoing message statuses rank so the ledger only moves forward (reference §14).
public enum MessageStatusRank {
    public static func of(_ status: String) -> Int {
        switch status {
        case "accepted": return 0
        case "sent": return 1
        case "delivered": return 2
        case "read": return 3
        case "played": return 4
        default: return -1  // failed and unknown values are handled apart
        }
    }
}

/// One `statuses[]` entry, reduced to what the ledger keeps.
public struct MessageStatusEvent: Sendable, Hashable, Codable {
    public var wamid: String
    public var status: String
    public var at: Date
    public var recipientID: String?
    public var recipientUserID: String?
    public var callbackData: String?
    public var errorCode: Int?
    public var errorTitle: String?
    public var errorDetails: String?
    public var pricingCategory: String?

    public init(wamid: String, status: String, at: Date, recipientID: String? = nil, recipientUserID: String? = nil,
                callbackData: String? = nil, errorCode: Int? = nil, errorTitle: String? = nil, errorDetails: String? = nil,
                pricingCategory: String? = nil) {
        self.wamid = wamid
        self.status = status
        self.at = at
        self.recipientID = recipientID
        self.recipientUserID = recipientUserID
        self.callbackData = callbackData
        self.errorCode = errorCode
        self.errorTitle = errorTitle
        self.errorDetails = errorDetails
        self.pricingCategory = pricingCategory
    }
}

/// What applying a status did.
public enum MessageStatusOutcome: String, Sendable, Hashable, Codable {
    /// The message moved forward (or its failure was recorded).
    case advanced
    /// The same status was seen before: nothing changed.
    case duplicate
    /// A lower status after a higher one: recorded as a transition seen late, status unchanged.
    case stale
}

/// One inbound `messages[]` entry with its sender, reduced to what conversations need.
public struct InboundMessageEvent: Sendable, Hashable, Codable {
    public var wamid: String
    /// Phone digits as Meta sends them; empty when the user is known only by a BSUID.
    public var waID: String?
    public var userID: String?
    public var profileName: String?
    public var phoneNumberID: String
    public var at: Date
    public var type: String
    public var text: String?
    /// The message object as received, for the inbox.
    public var raw: JSONValue

    public init(wamid: String, waID: String?, userID: String?, profileName: String?, phoneNumberID: String, at: Date,
                type: String, text: String?, raw: JSONValue) {
        self.wamid = wamid
        self.waID = waID
        self.userID = userID
        self.profileName = profileName
        self.phoneNumberID = phoneNumberID
        self.at = at
        self.type = type
        self.text = text
        self.raw = raw
    }

    /// A contact is identified by its BSUID when there is one, else by its WhatsApp id (§15.2).
    public var contactKey: String {
        if let userID, !userID.isEmpty { return "user:\(userID)" }
        return "wa:\(waID ?? "")"
    }
}

/// What recording an inbound message did.
public struct InboundOutcome: Sendable, Hashable {
    /// False when this wamid was recorded before (a redelivery or a replay).
    public var isNew: Bool
    public var contactKey: String
    public var conversationID: Int64

    public init(isNew: Bool, contactKey: String, conversationID: Int64) {
        self.isNew = isNew
        self.contactKey = contactKey
        self.conversationID = conversationID
    }
}
