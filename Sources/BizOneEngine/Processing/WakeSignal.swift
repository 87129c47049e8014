/// A doorbell for a polling loop: `signal()` wakes the one waiter, or makes its next `wait`
/// return at once when nobody is waiting (several signals in between count as one).
actor WakeSignal {
    private var pending = false
    private var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
    private var nextID: UInt64 = 0

    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume()
        } else {
            pending = true
        }
    }

    /// Returns on a signal, after `timeout`, or when the calling task is cancelled.
    func wait(timeout: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async {
        if pending {
            pending = false
            return
        }
        nextID += 1
        let id = nextID
        let timer = Task {
            try? await sleep(timeout)
            self.expire(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiter = (id, continuation)
                }
            }
        } onCancel: {
            Task { await self.expire(id) }
        }
        timer.cancel()
    }

    /// Ends the wait `id` if it is still the current one.
    private func expire(_ id: UInt64) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume()
    }
}

/// One-at-a-time access for async work on an actor (whose methods may interleave at `await`).
actor AsyncGate {
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { queue.append($0) }
    }

    func leave() {
        if queue.isEmpty {
            busy = false
        } else {
            queue.removeFirst().resume()
        }
    }

    /// Runs `body` alone: later callers wait for it to finish.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await body()
    }
}
