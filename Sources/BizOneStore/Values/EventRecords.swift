import Foundation

/// A row of the message ledger: the newest status of an outgoing message (reference §14).
public struct MessageRecord: Sendable, Hashable {
    public var wamid: String
    /// Phone digits as Meta sent them; nil when unknown or empty (a send to a BSUID).
    public var recipientID: String?
    public var recipientUserID: String?
    /// `sent`, `delivered`, `read`, `played`, `failed`, or an unknown value as received.
    public var status: String
    /// The rank the ledger orders by: `MessageStatusRank.of(status)`, and 1 for `failed`
    /// (a failure ends the `sent` stage: only delivered, read or played move past it).
    public var statusRank: Int
    public var statusAt: Date?
    public var callbackData: String?
    public var errorCode: Int?
    public var errorTitle: String?
    public var errorDetails: String?
    public var pricingCategory: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(wamid: String, recipientID: String?, recipientUserID: String?, status: String, statusRank: Int, statusAt: Date?,
                callbackData: String?, errorCode: Int?, errorTitle: String?, errorDetails: String?, pricingCategory: String?,
                createdAt: Date, updatedAt: Date) {
        self.wamid = wamid
        self.recipientID = recipientID
        self.recipientUserID = recipientUserID
        self.status = status
        self.statusRank = statusRank
        self.statusAt = statusAt
        self.callbackData = callbackData
        self.errorCode = errorCode
        self.errorTitle = errorTitle
        self.errorDetails = errorDetails
        self.pricingCategory = pricingCategory
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One status a message went through, once per (wamid, status).
public struct MessageTransition: Sendable, Hashable {
    public var status: String
    public var at: Date
    /// True when the status arrived after a higher one and did not become the message's status.
    public var late: Bool
    /// The event log row that carried it.
    public var eventID: Int64

    public init(status: String, at: Date, late: Bool, eventID: Int64) {
        self.status = status
        self.at = at
        self.late = late
        self.eventID = eventID
    }
}

/// A conversation with one chat contact, with the contact's name and phone.
public struct ConversationRecord: Sendable, Hashable {
    public var id: Int64
    /// `user:<bsuid>` or `wa:<digits>`.
    public var contactKey: String
    public var name: String?
    /// E.164 with '+'; nil while the contact is known only by a BSUID.
    public var phone: String?
    /// A `ConversationStatus`: open, pending, resolved or snoozed.
    public var status: String
    public var unread: Int
    public var lastInboundAt: Date?
    public var lastMessageAt: Date?
    public var assignedUser: String?
    public var assignedTeam: String?
    /// The business phone number the contact wrote to (replies go out from it).
    public var phoneNumberID: String

    public init(id: Int64, contactKey: String, name: String?, phone: String?, status: String, unread: Int,
                lastInboundAt: Date?, lastMessageAt: Date?, assignedUser: String?, assignedTeam: String?,
                phoneNumberID: String = "") {
        self.id = id
        self.contactKey = contactKey
        self.name = name
        self.phone = phone
        self.status = status
        self.unread = unread
        self.lastInboundAt = lastInboundAt
        self.lastMessageAt = lastMessageAt
        self.assignedUser = assignedUser
        self.assignedTeam = assignedTeam
        self.phoneNumberID = phoneNumberID
    }
}

/// A chat contact: someone who wrote in, known by a BSUID, a WhatsApp id, or both (reference §15.2).
public struct ChatContactRecord: Sendable, Hashable {
    public var key: String
    public var waID: String?
    public var userID: String?
    public var name: String?
    public var phone: String?
    public var lastInboundAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(key: String, waID: String?, userID: String?, name: String?, phone: String?, lastInboundAt: Date?,
                createdAt: Date, updatedAt: Date) {
        self.key = key
        self.waID = waID
        self.userID = userID
        self.name = name
        self.phone = phone
        self.lastInboundAt = lastInboundAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An inbound message as stored for the inbox.
public struct InboundMessageRecord: Sendable, Hashable {
    public var wamid: String
    public var conversationID: Int64
    public var contactKey: String
    public var type: String
    public var text: String?
    public var receivedAt: Date
    /// The message object as received (canonical JSON text).
    public var raw: String
    public var eventID: Int64

    public init(wamid: String, conversationID: Int64, contactKey: String, type: String, text: String?, receivedAt: Date,
                raw: String, eventID: Int64) {
        self.wamid = wamid
        self.conversationID = conversationID
        self.contactKey = contactKey
        self.type = type
        self.text = text
        self.receivedAt = receivedAt
        self.raw = raw
        self.eventID = eventID
    }
}

/// One queued forward of an event to a route's URL. `secretRef` is a reference (`env:NAME`),
/// never the secret itself.
public struct ForwardDelivery: Sendable, Hashable {
    public var id: Int64
    public var eventID: Int64
    public var route: String
    public var url: String
    public var secretRef: String
    /// `pending`, `delivered` or `dead`.
    public var status: String
    public var attempts: Int
    public var maxAttempts: Int
    public var backoffMilliseconds: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(id: Int64, eventID: Int64, route: String, url: String, secretRef: String, status: String, attempts: Int,
                maxAttempts: Int, backoffMilliseconds: Int, nextAttemptAt: Date, lastError: String?, createdAt: Date,
                deliveredAt: Date?) {
        self.id = id
        self.eventID = eventID
        self.route = route
        self.url = url
        self.secretRef = secretRef
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.backoffMilliseconds = backoffMilliseconds
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// One HTTP attempt of a forward.
public struct ForwardAttemptRecord: Sendable, Hashable {
    public var deliveryID: Int64
    public var at: Date
    public var httpStatus: Int?
    public var error: String?

    public init(deliveryID: Int64, at: Date, httpStatus: Int?, error: String?) {
        self.deliveryID = deliveryID
        self.at = at
        self.httpStatus = httpStatus
        self.error = error
    }
}
