import Foundation

/// A template webhook's observation about a Meta template id that no template in the state
/// carries yet, kept until the apply that created it records the id (`parkEarlyTemplateEvent`).
public struct EarlyTemplateEvent: Sendable, Hashable {
    public enum Change: String, Sendable {
        case status, quality, category
    }

    public var templateID: String
    public var eventID: Int64
    public var change: Change
    public var status: String?
    public var category: String?
    public var quality: String?
    public var reason: String?
    public var reasonDetail: String?
    /// Meta's time of the change (the entry's time).
    public var at: Date
    /// When the webhook was received; kept observations expire from here.
    public var receivedAt: Date

    public init(templateID: String, eventID: Int64, change: Change, status: String? = nil, category: String? = nil,
                quality: String? = nil, reason: String? = nil, reasonDetail: String? = nil, at: Date, receivedAt: Date) {
        self.templateID = templateID
        self.eventID = eventID
        self.change = change
        self.status = status
        self.category = category
        self.quality = quality
        self.reason = reason
        self.reasonDetail = reasonDetail
        self.at = at
        self.receivedAt = receivedAt
    }
}

/// What `parkEarlyTemplateEvent` did.
public enum EarlyTemplateParking: Sendable, Equatable {
    /// Kept for the apply that records a template with this id.
    case kept
    /// A template with this id was recorded since the caller looked: apply the event normally.
    case templateKnown
}
