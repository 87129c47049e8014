import Foundation
import Synchronization

/// Time that moves only when the test says so, for components that take an injected clock
/// (`now` and `sleep`). A sleeper wakes when `advance` moves the clock to or past its
/// deadline; a sleep of zero or less returns at once. Nothing ever depends on how fast the
/// machine is: a timer fires because the test advanced past it, never because it was slow.
///
/// `sleep` measures from the clock's `now` when it is called, so a component should compute
/// its deadline when it schedules work (not when its timer task first runs) if the test may
/// advance in between.
public final class ManualClock: Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Sleeps started so far (including the ones that returned at once).
        var sleeps = 0
        /// Ids of sleepers cancelled before they were registered.
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    /// A fixed, arbitrary start (2025-06-15T15:06:40Z) unless given.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        state = Mutex(State(now: start))
    }

    public var now: Date { state.withLock { $0.now } }

    /// Unix seconds of `now`.
    public var seconds: Double { now.timeIntervalSince1970 }

    /// How many sleeps are waiting for the clock to move.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// How many sleeps have started so far.
    public var sleepCount: Int { state.withLock { $0.sleeps } }

    /// The earliest deadline a sleeper waits for, if any.
    public var nextDeadline: Date? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Suspends until the clock reaches `now + seconds`; throws `CancellationError` when the
    /// calling task is cancelled.
    public func sleep(seconds: Double) async throws {
        try await sleep(until: now.addingTimeInterval(seconds))
    }

    /// Suspends until the clock reaches `deadline`.
    public func sleep(until deadline: Date) async throws {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            state.sleeps += 1
            return state.nextID
        }
        try Task.checkCancellation()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = self.state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper: Sleeper? = self.state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `seconds` and wakes every sleeper whose deadline has come,
    /// earliest first.
    public func advance(by seconds: Double) {
        advance(to: now.addingTimeInterval(max(0, seconds)))
    }

    /// Moves the clock to `date` (never backwards) and wakes the sleepers that are due.
    public func advance(to date: Date) {
        let due: [Sleeper] = state.withLock { state in
            state.now = max(state.now, date)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock to the earliest sleeper's deadline and wakes the sleepers due then;
    /// returns false when nobody sleeps.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let next = nextDeadline else { return false }
        advance(to: next)
        return true
    }
}
