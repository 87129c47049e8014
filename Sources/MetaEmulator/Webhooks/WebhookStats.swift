/// Webhook delivery figures for `/_emulator/stats`.
public struct WebhookStats: Sendable, Codable, Hashable {
    /// Events handed to the queue.
    public var enqueued = 0
    /// Events that reached the receiver (a 200), counted once even in duplicate mode.
    public var delivered = 0
    /// Failed attempts (non-200, connection errors, failed handshakes).
    public var failed = 0
    /// Attempts scheduled again after a failure.
    public var retried = 0
    /// Events given up after `webhookMaxAttempts`.
    public var dropped = 0
    /// Extra copies sent in duplicate mode.
    public var duplicates = 0
    /// Events with no URL to go to.
    public var skipped = 0
    /// Successful GET handshakes.
    public var handshakes = 0
    public var handshakeFailures = 0

    public init() {}
}

/// One delivery attempt, for `/_emulator/webhooks`.
public struct WebhookAttempt: Sendable, Codable, Hashable {
    public var time: Double
    public var url: String
    public var field: String
    public var attempt: Int
    /// HTTP status, nil on a connection error or a failed handshake.
    public var status: Int?
    public var ok: Bool
    public var error: String?
}
