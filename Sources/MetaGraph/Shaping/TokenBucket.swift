import BizOneModel

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
    private var bucket: RateBucket

    /// `burst` defaults to `max(1, rate / 10)`: a tenth of a second's worth of sends at once.
    public init(rate: Double, burst: Double? = nil, clock: GraphClock = .continuous) {
        self.rate = rate
        let burst = max(1, burst ?? rate / 10)
        self.burst = burst
        self.clock = clock
        self.bucket = RateBucket(capacity: burst, rate: max(0, rate), now: clock.now())
    }

    /// Waits until a token is available and takes it. Throws `CancellationError` when the task is
    /// cancelled while waiting (the reserved token is returned).
    public func acquire() async throws {
        guard rate > 0, rate.isFinite else { return }
        let wait = bucket.reserve(now: clock.now())
        guard wait > 0 else { return }
        do {
            try await clock.sleep(wait)
        } catch {
            bucket.giveBack()
            throw error
        }
    }

    /// Takes a token only when one is available now.
    public func tryAcquire() -> Bool {
        guard rate > 0, rate.isFinite else { return true }
        return bucket.take(now: clock.now()) == nil
    }

    /// Seconds the next `acquire()` would wait.
    public func currentDelay() -> Double {
        guard rate > 0, rate.isFinite else { return 0 }
        return bucket.delay(now: clock.now())
    }
}
