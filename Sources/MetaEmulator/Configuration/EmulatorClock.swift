import Foundation

/// The emulator's only source of time: timestamps, rate limits, windows and scheduled events.
/// Tests may inject a clock that runs faster, starts at a fixed instant, or moves only when
/// the test advances it (`sleep` must then return at once for a non-positive duration).
public struct EmulatorClock: Sendable {
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (Double) async throws -> Void

    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Double) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    public static let system = EmulatorClock(
        now: { Date() },
        sleep: { seconds in
            guard seconds > 0 else { return }
            // Rules and control requests set delays; a year at most keeps the nanoseconds in range.
            try await Task.sleep(nanoseconds: UInt64(min(seconds, 31_536_000) * 1_000_000_000))
        }
    )

    /// Unix seconds, fractional.
    var seconds: Double { now().timeIntervalSince1970 }

    /// Sleeps until the clock reads `deadline` (Unix seconds). Timers compute their deadline
    /// when they are scheduled, so a clock a test moves by hand fires them the same however
    /// late their task starts.
    func sleep(until deadline: Double) async throws {
        try await sleep(deadline - seconds)
    }
}
