/// Switchable webhook misbehaviour (reference §16): duplicates, reordering, delay, another URL.
public struct WebhookBehaviour: Sendable, Hashable, Codable {
    /// Deliver every event twice (same bytes, same signature).
    public var duplicate: Bool
    /// Hold this many events and deliver them in reverse order (0 or 1 = off). Held events that
    /// find no company go out after `timing.reorderFlushDelay`.
    public var reorder: Int
    /// Seconds every event waits before its first delivery attempt.
    public var delay: Double
    /// Deliver here instead of the configured `webhookURL`.
    public var url: String?

    public init(duplicate: Bool = false, reorder: Int = 0, delay: Double = 0, url: String? = nil) {
        self.duplicate = duplicate
        self.reorder = reorder
        self.delay = delay
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case duplicate, reorder, delay, url
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        duplicate = try container.decodeIfPresent(Bool.self, forKey: .duplicate) ?? false
        if let count = try? container.decodeIfPresent(Int.self, forKey: .reorder) {
            reorder = count
        } else {
            reorder = (try container.decodeIfPresent(Bool.self, forKey: .reorder) ?? false) ? 3 : 0
        }
        delay = try container.decodeIfPresent(Double.self, forKey: .delay) ?? 0
        url = try container.decodeIfPresent(String.self, forKey: .url)
    }
}
