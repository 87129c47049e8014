import Foundation

/// The emulator's only source of time: timestamps, rate limits, windows and scheduled events.
/// Tests may inject a clock that runs faster or starts at a fixed instant.
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
}
