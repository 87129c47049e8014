/// The pace of one phone number: its messages per second (a `TokenBucket`) and Meta's
/// per-recipient limit (a `PairLimiter`). One per number per process: the Graph client's own
/// sends (replies) and the campaign engine's draw from the same instances, so together they
/// never exceed the number's rate. Across processes the engine's sender lease decides who
/// sends campaign messages for a number at all.
public struct SendPacer: Sendable {
    public let bucket: TokenBucket
    public let pairs: PairLimiter

    public init(rate: Double, pairLimit: PairLimit = PairLimit(), clock: GraphClock = .continuous) {
        bucket = TokenBucket(rate: rate, clock: clock)
        pairs = PairLimiter(limit: pairLimit, clock: clock)
    }

    public init(bucket: TokenBucket, pairs: PairLimiter) {
        self.bucket = bucket
        self.pairs = pairs
    }

    /// Waits until `recipient` may be messaged and the number has a slot, and takes both.
    public func acquire(for recipient: String) async throws {
        try await pairs.acquire(for: recipient)
        try await bucket.acquire()
    }
}
