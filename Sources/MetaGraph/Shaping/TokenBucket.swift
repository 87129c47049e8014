/// Paces sends to a phone number's throughput (reference §18.1): `rate` tokens per second, at
/// most `burst` saved up. `acquire()` reserves the next token and waits until it is due, so
/// concurrent callers are served in call order without exceeding the rate.
///
/// Shared by `LiveGraphClient.send` and, if it wants, the campaign engine.
public actor TokenBucket {
    /// Tokens per second; zero or less means unlimited.
    public nonisolated let rate: Double
    public nonisolated let burst: Double
    private let clock: GraphClock
    private var tokens: Double
    private var updated: Double

    /// `burst` defaults to `max(1, rate / 10)`: a tenth of a second's worth of sends at once.
    public init(rate: Double, burst: Double? = nil, clock: GraphClock = .continuous) {
        self.rate = rate
        let burst = max(1, burst ?? rate / 10)
        self.burst = burst
        self.clock = clock
        self.tokens = burst
        self.updated = clock.now()
    }

    /// Waits until a token is available and takes it. Throws `CancellationError` when the task is
    /// cancelled while waiting (the reserved token is returned).
    public func acquire() async throws {
        guard rate > 0, rate.isFinite else { return }
        refill()
        tokens -= 1
        guard tokens < 0 else { return }
        let wait = -tokens / rate
        do {
            try await clock.sleep(wait)
        } catch {
            tokens += 1
            throw error
        }
    }

    /// Takes a token only when one is available now.
    public func tryAcquire() -> Bool {
        guard rate > 0, rate.isFinite else { return true }
        refill()
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Seconds the next `acquire()` would wait.
    public func currentDelay() -> Double {
        guard rate > 0, rate.isFinite else { return 0 }
        refill()
        return tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    private func refill() {
        let now = clock.now()
        let elapsed = max(0, now - updated)
        updated = max(updated, now)
        tokens = min(burst, tokens + elapsed * rate)
    }
}
