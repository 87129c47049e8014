import Foundation

/// Events not yet finished (delivered, dropped or skipped), readable from any task, plus the
/// generation that `reset` bumps so older queued events are discarded without counting.
/// `waitUntilIdle` lets a caller sleep until the count reaches zero instead of polling it.
final class PendingCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = 0
    private var currentGeneration = 0
    private var idleWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    private var nextWaiter: UInt64 = 0
    /// Waiters whose timeout passed before they were registered.
    private var expired: Set<UInt64> = []

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
        guard generation == currentGeneration else {
            lock.unlock()
            return false
        }
        pending = max(0, pending - 1)
        let waiters = pending == 0 ? takeWaiters() : []
        lock.unlock()
        for waiter in waiters { waiter.resume(returning: true) }
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
        pending = 0
        currentGeneration += 1
        let waiters = takeWaiters()
        lock.unlock()
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns true as soon as nothing is pending, or false once `timeout` seconds pass first.
    func waitUntilIdle(timeout: Double) async -> Bool {
        let id: UInt64? = lock.withLock {
            guard pending > 0 else { return nil }
            nextWaiter += 1
            return nextWaiter
        }
        guard let id else { return true }
        let timer = Task {
            try? await Task.sleep(for: .seconds(min(max(0, timeout), 365 * 86_400)))
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let verdict: Bool? = lock.withLock {
                if pending == 0 { return true }
                if expired.remove(id) != nil { return false }
                idleWaiters[id] = continuation
                return nil
            }
            if let verdict { continuation.resume(returning: verdict) }
        }
    }

    private func expire(_ id: UInt64) {
        lock.lock()
        let waiter = idleWaiters.removeValue(forKey: id)
        if waiter == nil { expired.insert(id) }
        lock.unlock()
        waiter?.resume(returning: false)
    }

    /// Removes and returns every idle waiter; call with the lock held.
    private func takeWaiters() -> [CheckedContinuation<Bool, Never>] {
        defer { idleWaiters = [:] }
        return Array(idleWaiters.values)
    }
}
