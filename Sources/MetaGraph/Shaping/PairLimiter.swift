/// Paces messages to one recipient (reference §18.2): a token bucket per recipient holding up to
/// `limit.burst` messages and refilled with one every `limit.interval` seconds. A send to a
/// recipient whose budget is spent waits; sends to other recipients are not delayed. In normal
/// use Meta's pair rate limit error 131056 then does not happen.
public actor PairLimiter {
    public nonisolated let limit: PairLimit
    private let clock: GraphClock
    private var buckets: [String: Bucket] = [:]
    private var acquisitionsSincePrune = 0

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    public init(limit: PairLimit = PairLimit(), clock: GraphClock = .continuous) {
        self.limit = limit
        self.clock = clock
    }

    /// Waits until `recipient` may be messaged again and takes one message of its budget.
    public func acquire(for recipient: String) async throws {
        guard limit.burst > 0, limit.interval > 0 else { return }
        let key = Self.key(recipient)
        let now = clock.now()
        var bucket = refilled(buckets[key], now: now)
        bucket.tokens -= 1
        buckets[key] = bucket
        pruneIfNeeded(now: now)
        guard bucket.tokens < 0 else { return }
        let wait = -bucket.tokens * limit.interval
        do {
            try await clock.sleep(wait)
        } catch {
            if var current = buckets[key] {
                current.tokens += 1
                buckets[key] = current
            }
            throw error
        }
    }

    /// Seconds the next send to `recipient` would wait.
    public func currentDelay(for recipient: String) -> Double {
        guard limit.burst > 0, limit.interval > 0 else { return 0 }
        let bucket = refilled(buckets[Self.key(recipient)], now: clock.now())
        return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) * limit.interval
    }

    /// Recipients currently tracked (those whose budget is not full again).
    public var trackedRecipients: Int { buckets.count }

    private func refilled(_ bucket: Bucket?, now: Double) -> Bucket {
        let capacity = Double(limit.burst)
        guard var bucket else { return Bucket(tokens: capacity, updated: now) }
        let elapsed = max(0, now - bucket.updated)
        bucket.tokens = min(capacity, bucket.tokens + elapsed / limit.interval)
        bucket.updated = max(bucket.updated, now)
        return bucket
    }

    /// Forgets recipients whose budget has refilled completely, so memory stays bounded by the
    /// recipients messaged in the last `burst * interval` seconds.
    private func pruneIfNeeded(now: Double) {
        acquisitionsSincePrune += 1
        guard acquisitionsSincePrune >= 1024 else { return }
        acquisitionsSincePrune = 0
        let capacity = Double(limit.burst)
        buckets = buckets.filter { refilled($0.value, now: now).tokens < capacity }
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
