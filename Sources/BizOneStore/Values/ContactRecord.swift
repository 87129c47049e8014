import Foundation

/// A known contact. Shared by every audience that lists the phone number.
public struct ContactRecord: Sendable, Hashable {
    /// E.164 with '+'.
    public var phone: String
    public var name: String?
    public var attributes: [String: String]
    /// Sorted, without duplicates.
    public var tags: [String]
    /// Sticky: once a contact opted out, no import turns it back.
    public var optedOut: Bool
    public var optedOutAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(phone: String, name: String?, attributes: [String: String], tags: [String], optedOut: Bool,
                optedOutAt: Date?, createdAt: Date, updatedAt: Date) {
        self.phone = phone
        self.name = name
        self.attributes = attributes
        self.tags = tags
        self.optedOut = optedOut
        self.optedOutAt = optedOutAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
