/// `POST /_emulator/inbound`: a user writes to the business.
public struct InboundRequest: Sendable, Codable, Hashable {
    /// The user's phone number (`+6281234567890`); omit for a username-only user.
    public var from: String?
    /// Profile name.
    public var name: String?
    /// Text of a `text` message.
    public var text: String?
    /// Message type when not plain text (`button`, `interactive`, `location`, ...).
    public var type: String?
    /// BSUID; with no `from` the webhook carries an empty `wa_id` and `from`.
    public var userId: String?
    public var username: String?
    public var countryCode: String?

    public init(from: String? = nil, name: String? = nil, text: String? = nil, type: String? = nil, userId: String? = nil,
                username: String? = nil, countryCode: String? = nil) {
        self.from = from
        self.name = name
        self.text = text
        self.type = type
        self.userId = userId
        self.username = username
        self.countryCode = countryCode
    }
}
