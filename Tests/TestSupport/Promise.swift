import Synchronization

/// A value that arrives once (a port a server reports from its `onServerRunning` callback, a
/// sign that a component reached a point), awaited by any number of tasks. Waiting has the
/// generous `eventCeiling` so a broken component fails the test instead of hanging it.
public final class Promise<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        var nextID: UInt64 = 0
        /// Waiters whose ceiling passed before they were registered.
        var expired: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets the value and wakes every waiter; later calls are ignored.
    public func fulfill(_ value: Value) {
        let waiters: [CheckedContinuation<Value?, Never>] = state.withLock { state in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The value if it has arrived.
    public var current: Value? { state.withLock { $0.value } }

    /// Waits for the value; throws `PromiseTimeout` naming `what` after `ceiling`.
    public func value(_ what: String = "the value", ceiling: Duration = eventCeiling) async throws -> Value {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: ceiling)
            self.expire(id)
        }
        defer { timer.cancel() }
        let value: Value? = await withCheckedContinuation { continuation in
            let ready: Value?? = state.withLock { state in
                if let value = state.value { return .some(value) }
                if state.expired.remove(id) != nil { return .some(nil) }
                state.waiters[id] = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
        guard let value else { throw PromiseTimeout(what: what, ceiling: ceiling) }
        return value
    }

    /// Wakes waiter `id` without a value (its ceiling passed).
    private func expire(_ id: UInt64) {
        let waiter: CheckedContinuation<Value?, Never>? = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                if state.value == nil { state.expired.insert(id) }
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: nil)
    }
}

public struct PromiseTimeout: Error, CustomStringConvertible {
    public var what: String
    public var ceiling: Duration
    public var description: String { "gave up waiting for \(what) after \(ceiling)" }
}
