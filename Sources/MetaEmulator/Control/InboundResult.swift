/// What `POST /_emulator/inbound` answers.
public struct InboundResult: Sendable, Codable, Hashable {
    /// The inbound message's wamid.
    public var id: String
    public var waID: String
    public var userID: String?
    /// Unix seconds when the user's 24-hour window closes.
    public var windowExpiresAt: Int
}
