/// What happens to sends to matching recipients.
public struct RecipientRule: Sendable, Decodable {
    /// Regex searched in `to` as sent, in its digits and in a BSUID.
    public var match: RulePattern
    /// Fail with this Meta error code (e.g. 131026, 131049, 131050): a `failed` status webhook.
    public var fail: Int?
    /// Refuse the send itself with `fail` instead of accepting it and failing later.
    public var synchronous: Bool
    /// Report `sent` then `read`, without `delivered`.
    public var skipDelivered: Bool
    /// Never report `read`.
    public var neverRead: Bool
    /// With `synchronous`: refuse only the first N sends to each matching recipient, then accept
    /// (a retryable error such as 131000 that clears up). Nil refuses every time.
    public var times: Int?

    public init(match: RulePattern, fail: Int? = nil, synchronous: Bool = false, skipDelivered: Bool = false, neverRead: Bool = false,
                times: Int? = nil) {
        self.times = times
        self.match = match
        self.fail = fail
        self.synchronous = synchronous
        self.skipDelivered = skipDelivered
        self.neverRead = neverRead
    }

    enum CodingKeys: String, CodingKey {
        case match, fail, synchronous, skipDelivered, neverRead, times
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        match = try container.decode(RulePattern.self, forKey: .match)
        fail = try container.decodeIfPresent(Int.self, forKey: .fail)
        synchronous = try container.decodeIfPresent(Bool.self, forKey: .synchronous) ?? false
        skipDelivered = try container.decodeIfPresent(Bool.self, forKey: .skipDelivered) ?? false
        neverRead = try container.decodeIfPresent(Bool.self, forKey: .neverRead) ?? false
        times = try container.decodeIfPresent(Int.self, forKey: .times)
    }

    func matches(_ candidates: [String]) -> Bool {
        candidates.contains { !$0.isEmpty && match.matches($0) }
    }
}
