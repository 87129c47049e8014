import Foundation

/// Events not yet finished (delivered, dropped or skipped), readable from any task, plus the
/// generation that `reset` bumps so older queued events are discarded without counting.
final class PendingCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = 0
    private var currentGeneration = 0

    /// Counts a new event; returns the generation it belongs to.
    func add() -> Int {
        lock.lock()
        defer { lock.unlock() }
        pending += 1
        return currentGeneration
    }

    /// Finishes one event of `generation`; false when the event is stale.
    @discardableResult
    func finish(_ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard generation == currentGeneration else { return false }
        pending = max(0, pending - 1)
        return true
    }

    func isCurrent(_ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return generation == currentGeneration
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending
    }

    func reset() {
        lock.lock()
        defer { lock.unlock() }
        pending = 0
        currentGeneration += 1
    }
}
