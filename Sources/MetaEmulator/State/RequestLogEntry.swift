/// One Graph API request served, for `/_emulator/requests` (the token is never recorded).
public struct RequestLogEntry: Sendable, Codable, Hashable {
    /// Unix seconds.
    public var time: Double
    public var method: String
    public var path: String
    /// The query string with `access_token` redacted.
    public var query: String
    public var status: Int
    public var errorCode: Int?
    public var errorSubcode: Int?
    public var durationMilliseconds: Double
}
