/// A token bucket on an injected timeline: `capacity` tokens, refilled at `rate` per second.
struct TokenBucket: Sendable, Hashable {
    let capacity: Double
    let rate: Double
    private(set) var tokens: Double
    private var updated: Double

    init(capacity: Double, rate: Double, now: Double) {
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now
    }

    /// Takes one token, or returns the seconds until one is available.
    mutating func take(now: Double) -> Double? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return rate > 0 ? (1 - tokens) / rate : .infinity
    }

    private mutating func refill(now: Double) {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated) * rate)
        }
        updated = max(updated, now)
    }
}
