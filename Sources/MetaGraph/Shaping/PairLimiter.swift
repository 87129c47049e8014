import BizOneModel

/// Paces messages to one recipient (reference §18.2): a token bucket per recipient holding up to
/// `limit.burst` messages and refilled with one every `limit.interval` seconds. A send to a
/// recipient whose budget is spent waits; sends to other recipients are not delayed. In normal
/// use Meta's pair rate limit error 131056 then does not happen.
public actor PairLimiter {
    public nonisolated let limit: PairLimit
    private let clock: GraphClock
    private var buckets: [String: RateBucket] = [:]
    private var acquisitionsSincePrune = 0

    public init(limit: PairLimit = PairLimit(), clock: GraphClock = .continuous) {
        self.limit = limit
        self.clock = clock
    }

    /// Waits until `recipient` may be messaged again and takes one message of its budget.
    public func acquire(for recipient: String) async throws {
        guard limit.burst > 0, limit.interval > 0 else { return }
        let key = Self.key(recipient)
        let now = clock.now()
        var bucket = buckets[key] ?? newBucket(now)
        let wait = bucket.reserve(now: now)
        buckets[key] = bucket
        pruneIfNeeded(now: now)
        guard wait > 0 else { return }
        do {
            try await clock.sleep(wait)
        } catch {
            buckets[key]?.giveBack()
            throw error
        }
    }

    /// Seconds the next send to `recipient` would wait.
    public func currentDelay(for recipient: String) -> Double {
        guard limit.burst > 0, limit.interval > 0 else { return 0 }
        let now = clock.now()
        var bucket = buckets[Self.key(recipient)] ?? newBucket(now)
        return bucket.delay(now: now)
    }

    /// Recipients currently tracked (those whose budget is not full again).
    public var trackedRecipients: Int { buckets.count }

    /// A full budget: `burst` messages, one more every `interval` seconds.
    private func newBucket(_ now: Double) -> RateBucket {
        RateBucket(capacity: Double(limit.burst), rate: 1 / limit.interval, now: now)
    }

    /// Forgets recipients whose budget has refilled completely, so memory stays bounded by the
    /// recipients messaged in the last `burst * interval` seconds.
    private func pruneIfNeeded(now: Double) {
        acquisitionsSincePrune += 1
        guard acquisitionsSincePrune >= 1024 else { return }
        acquisitionsSincePrune = 0
        buckets = buckets.filter { _, bucket in
            var bucket = bucket
            return !bucket.isFull(now: now)
        }
    }

    /// `+62 812-3456-7890` and `6281234567890` are the same recipient; business-scoped user ids
    /// (letters, dots) are kept as they are.
    static func key(_ recipient: String) -> String {
        let phoneCharacters = Set("+0123456789 -()")
        guard !recipient.isEmpty, recipient.allSatisfy(phoneCharacters.contains), recipient.contains(where: \.isNumber) else {
            return recipient
        }
        return String(recipient.filter(\.isNumber))
    }
}
