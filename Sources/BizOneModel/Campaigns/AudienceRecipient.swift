/// One contact a campaign may message: in the audience (imported or matched by its filter),
/// not excluded, not opted out.
public struct AudienceRecipient: Sendable, Hashable, Codable {
    /// E.164, with '+'.
    public var phone: String
    public var name: String?
    /// For template parameters (`{{contact.attributes.X}}`).
    public var attributes: [String: String]

    public init(phone: String, name: String? = nil, attributes: [String: String] = [:]) {
        self.phone = phone
        self.name = name
        self.attributes = attributes
    }
}
