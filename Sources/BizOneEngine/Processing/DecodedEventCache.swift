import Synchronization

/// The items of events the server already decoded before its 200, handed to the processor in
/// memory so a body is parsed once, not again after a read back from the log.
///
/// Only an optimisation, never the source of truth: the processor asks for the ids it read from
/// the event log and decodes from the stored body whatever is not here (after a restart, for
/// events written by another process, or when this cache was full). The server puts only what it
/// decoded from the exact bytes it stored, so both ways give the same items.
///
/// Bounded: when `capacity` events wait, further ones are not kept (the processor is behind then,
/// and reads them from the log like after a restart).
public final class DecodedEventCache: Sendable {
    private struct State {
        var items: [Int64: [DecodedItem]] = [:]
        /// Ids at or below it are processed: putting them again (a redelivery of an old body
        /// returns the old id) would only leave entries nobody takes.
        var floor: Int64 = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 20_000) {
        self.capacity = max(0, capacity)
    }

    /// Keeps the decoded items of committed events, by event id.
    public func put(_ events: [(id: Int64, items: [DecodedItem])]) {
        state.withLock { state in
            for event in events where event.id > state.floor && state.items.count < capacity {
                state.items[event.id] = event.items
            }
        }
    }

    /// Forgets `ids` (their rows were never committed).
    public func remove(_ ids: [Int64]) {
        state.withLock { state in
            for id in ids { state.items[id] = nil }
        }
    }

    /// Removes and returns what is kept for `ids`.
    func take(_ ids: [Int64]) -> [Int64: [DecodedItem]] {
        state.withLock { state in
            var found: [Int64: [DecodedItem]] = [:]
            for id in ids {
                if let items = state.items.removeValue(forKey: id) { found[id] = items }
            }
            return found
        }
    }

    /// Forgets everything at or below `id` (the processing cursor).
    public func discard(upTo id: Int64) {
        state.withLock { state in
            guard id > state.floor else { return }
            state.floor = id
            // Entries below the cursor are only left by redeliveries of processed bodies: rare,
            // so a sweep when there are any at all is cheap on the normal path.
            if !state.items.isEmpty, state.items.keys.contains(where: { $0 <= id }) {
                state.items = state.items.filter { $0.key > id }
            }
        }
    }

    /// Events kept now.
    public var count: Int { state.withLock { $0.items.count } }
}
