import Foundation
import Synchronization

/// Events not yet finished (delivered, dropped or skipped), readable from any task, plus the
/// generation that `reset` bumps so older queued events are discarded without counting.
/// `waitUntilIdle` lets a caller sleep until the count reaches zero instead of polling it.
final class PendingCounter: Sendable {
    private struct State {
        var pending = 0
        var currentGeneration = 0
        var idleWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter: UInt64 = 0
        /// Waiters whose timeout passed before they were registered.
        var expired: Set<UInt64> = []

        /// Removes and returns every idle waiter.
        mutating func takeWaiters() -> [CheckedContinuation<Bool, Never>] {
            defer { idleWaiters = [:] }
            return Array(idleWaiters.values)
        }
    }

    private let state = Mutex(State())

    /// Counts a new event; returns the generation it belongs to.
    func add() -> Int {
        state.withLock { state in
            state.pending += 1
            return state.currentGeneration
        }
    }

    /// Finishes one event of `generation`; false when the event is stale.
    @discardableResult
    func finish(_ generation: Int) -> Bool {
        let (current, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Bool, Never>]) in
            guard generation == state.currentGeneration else { return (false, []) }
            state.pending = max(0, state.pending - 1)
            return (true, state.pending == 0 ? state.takeWaiters() : [])
        }
        for waiter in waiters { waiter.resume(returning: true) }
        return current
    }

    func isCurrent(_ generation: Int) -> Bool {
        state.withLock { $0.currentGeneration == generation }
    }

    var count: Int { state.withLock { $0.pending } }

    func reset() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.pending = 0
            state.currentGeneration += 1
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns true as soon as nothing is pending, or false once `timeout` seconds pass first.
    func waitUntilIdle(timeout: Double) async -> Bool {
        let id: UInt64? = state.withLock { state in
            guard state.pending > 0 else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return true }
        let timer = Task {
            try? await Task.sleep(for: .seconds(min(max(0, timeout), 365 * 86_400)))
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let verdict: Bool? = state.withLock { state in
                if state.pending == 0 { return true }
                if state.expired.remove(id) != nil { return false }
                state.idleWaiters[id] = continuation
                return nil
            }
            if let verdict { continuation.resume(returning: verdict) }
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            let waiter = state.idleWaiters.removeValue(forKey: id)
            if waiter == nil { state.expired.insert(id) }
            return waiter
        }
        waiter?.resume(returning: false)
    }
}
