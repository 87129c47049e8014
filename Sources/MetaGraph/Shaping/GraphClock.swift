/// Time as the client, the token bucket and the pair limiter see it: seconds on a monotonic
/// clock, and a way to wait. Injected so tests run on virtual time, instantly.
public struct GraphClock: Sendable {
    /// Seconds since an arbitrary fixed origin; only differences matter.
    public var now: @Sendable () -> Double
    /// Waits the given number of seconds (non-positive values return at once); throws when cancelled.
    public var sleep: @Sendable (Double) async throws -> Void

    public init(now: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Double) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The process's monotonic clock and `Task.sleep`.
    public static let continuous: GraphClock = {
        let clock = ContinuousClock()
        let origin = clock.now
        return GraphClock(
            now: {
                let elapsed = origin.duration(to: clock.now).components
                return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            },
            sleep: { seconds in
                guard seconds > 0, seconds.isFinite else {
                    try Task.checkCancellation()
                    return
                }
                // A year at most: beyond that Int64 nanoseconds would overflow, and no wait is meant.
                try await Task.sleep(for: .nanoseconds(Int64((min(seconds, 31_536_000) * 1e9).rounded(.up))))
            }
        )
    }()
}
