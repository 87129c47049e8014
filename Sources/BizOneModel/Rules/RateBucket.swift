/// The token bucket arithmetic on a timeline of seconds passed in: `capacity` tokens, refilled
/// at `rate` per second. Pure, so one algorithm serves every place that paces or limits:
/// the Graph client's pacer and pair limiter (which wait for a token, taking it on credit) and
/// the emulator's throughput and pair limits (which refuse when none is there).
public struct RateBucket: Sendable, Hashable {
    public let capacity: Double
    /// Tokens per second.
    public let rate: Double
    /// May go below zero: tokens reserved on credit by callers now waiting.
    public private(set) var tokens: Double
    private var updated: Double

    /// A full bucket at `now`.
    public init(capacity: Double, rate: Double, now: Double) {
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now
    }

    /// Takes one token if one is there now; otherwise takes nothing and returns the seconds
    /// until one will be (infinity at rate 0).
    public mutating func take(now: Double) -> Double? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return rate > 0 ? (1 - tokens) / rate : .infinity
    }

    /// Takes one token on credit and returns how long the caller must wait before using it
    /// (0 when one was there). Callers served this way are paced in call order.
    public mutating func reserve(now: Double) -> Double {
        refill(now: now)
        tokens -= 1
        guard tokens < 0 else { return 0 }
        return rate > 0 ? -tokens / rate : .infinity
    }

    /// Returns a reserved token (its caller gave up waiting).
    public mutating func giveBack() {
        tokens = min(capacity, tokens + 1)
    }

    /// Seconds until a token would be there, without taking it.
    public mutating func delay(now: Double) -> Double {
        refill(now: now)
        return tokens >= 1 ? 0 : (rate > 0 ? (1 - tokens) / rate : .infinity)
    }

    /// Whether the bucket is full at `now` (nothing is owed or spent).
    public mutating func isFull(now: Double) -> Bool {
        refill(now: now)
        return tokens >= capacity
    }

    private mutating func refill(now: Double) {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated) * rate)
        }
        updated = max(updated, now)
    }
}
