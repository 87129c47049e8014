/// Delays of the emulated world, in seconds. Tests use tiny values.
public struct EmulatorTiming: Sendable, Hashable {
    /// From create (or edit) to the review verdict.
    public var reviewDelay: Double
    /// From an accepted send to its `sent` status.
    public var sentDelay: Double
    /// From `sent` to `delivered`.
    public var deliveredDelay: Double
    /// From `delivered` (or `sent` when delivery is skipped) to `read`.
    public var readDelay: Double
    /// First retry of a failed webhook delivery; doubles with every attempt.
    public var webhookRetryBase: Double
    /// Attempts per webhook (the first included) before it is dropped and counted.
    public var webhookMaxAttempts: Int
    /// Seconds one webhook POST (or handshake GET) may take.
    public var webhookTimeout: Double
    /// In reorder mode, how long held events wait for company before they go out reversed.
    public var reorderFlushDelay: Double

    public init(reviewDelay: Double = 2.0, sentDelay: Double = 0.05, deliveredDelay: Double = 0.2, readDelay: Double = 0.5,
                webhookRetryBase: Double = 1.0, webhookMaxAttempts: Int = 8, webhookTimeout: Double = 10,
                reorderFlushDelay: Double = 0.5) {
        self.reviewDelay = reviewDelay
        self.sentDelay = sentDelay
        self.deliveredDelay = deliveredDelay
        self.readDelay = readDelay
        self.webhookRetryBase = webhookRetryBase
        self.webhookMaxAttempts = webhookMaxAttempts
        self.webhookTimeout = webhookTimeout
        self.reorderFlushDelay = reorderFlushDelay
    }

    /// The `timing:` section of a rules file: every field optional.
    public struct Overrides: Sendable, Hashable, Codable {
        public var reviewDelay: Double?
        public var sentDelay: Double?
        public var deliveredDelay: Double?
        public var readDelay: Double?
        public var webhookRetryBase: Double?
        public var webhookMaxAttempts: Int?
        public var webhookTimeout: Double?
        public var reorderFlushDelay: Double?

        public init(reviewDelay: Double? = nil, sentDelay: Double? = nil, deliveredDelay: Double? = nil, readDelay: Double? = nil,
                    webhookRetryBase: Double? = nil, webhookMaxAttempts: Int? = nil, webhookTimeout: Double? = nil,
                    reorderFlushDelay: Double? = nil) {
            self.reviewDelay = reviewDelay
            self.sentDelay = sentDelay
            self.deliveredDelay = deliveredDelay
            self.readDelay = readDelay
            self.webhookRetryBase = webhookRetryBase
            self.webhookMaxAttempts = webhookMaxAttempts
            self.webhookTimeout = webhookTimeout
            self.reorderFlushDelay = reorderFlushDelay
        }
    }

    public func applying(_ overrides: Overrides) -> EmulatorTiming {
        var copy = self
        if let value = overrides.reviewDelay { copy.reviewDelay = value }
        if let value = overrides.sentDelay { copy.sentDelay = value }
        if let value = overrides.deliveredDelay { copy.deliveredDelay = value }
        if let value = overrides.readDelay { copy.readDelay = value }
        if let value = overrides.webhookRetryBase { copy.webhookRetryBase = value }
        if let value = overrides.webhookMaxAttempts { copy.webhookMaxAttempts = value }
        if let value = overrides.webhookTimeout { copy.webhookTimeout = value }
        if let value = overrides.reorderFlushDelay { copy.reorderFlushDelay = value }
        return copy
    }
}
