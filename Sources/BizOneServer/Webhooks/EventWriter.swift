import BizOneEngine
import BizOneModel
import BizOneStore
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit for the event log.
///
/// Each webhook request calls `append` and waits. The writer takes everything queued (up to
/// `batchMaxEvents`, after lingering `batchMaxDelay` for more to arrive), writes it with one
/// `StateStore.appendWebhookEvents` call (one transaction), then resumes every waiter with its
/// row id, or fails them all when the transaction throws (nothing was stored then). After a
/// successful batch it calls `onEventsAppended` to wake the processor; it never waits for
/// processing. The items decoded at ingest go to `decoded` inside the transaction (so the
/// processor does not parse the stored bodies again, and never sees a row before its items).
///
/// Run it as a Service placed *before* the HTTP application in the `ServiceGroup`: graceful
/// shutdown goes in reverse order, so the server stops taking requests first and the writer
/// then drains what is still queued before it returns.
public actor EventWriter: Service {
    private struct Pending {
        var event: IncomingWebhook
        var items: [DecodedItem]?
        var continuation: CheckedContinuation<Int64, any Error>
    }

    private let store: StateStore
    private let metrics: ServerMetrics
    private let logger: Logger
    private let batchMaxEvents: Int
    private let batchMaxDelay: Duration
    private let onEventsAppended: @Sendable () -> Void
    private let decoded: DecodedEventCache?
    private let sleep: @Sendable (Duration) async throws -> Void
    private nonisolated let wakeups: AsyncStream<Void>
    private nonisolated let wakeup: AsyncStream<Void>.Continuation

    private var queue: [Pending] = []
    private var stopped = false
    private var running = false

    /// Transactions committed so far (for tests and diagnostics).
    public private(set) var batchesWritten = 0
    /// Events committed so far.
    public private(set) var eventsWritten = 0
    /// The largest batch committed so far.
    public private(set) var largestBatch = 0

    /// - Parameter sleep: how the writer lingers for `batchMaxDelay` (tests end the linger
    ///   when they choose; it must return early, or throw, when the task is cancelled).
    public init(store: StateStore, metrics: ServerMetrics, batchMaxEvents: Int = 256, batchMaxDelay: Duration = .milliseconds(2),
                logger: Logger, decoded: DecodedEventCache? = nil, onEventsAppended: @escaping @Sendable () -> Void = {},
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.batchMaxEvents = max(1, batchMaxEvents)
        self.batchMaxDelay = batchMaxDelay
        self.onEventsAppended = onEventsAppended
        self.decoded = decoded
        self.sleep = sleep
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues one event and returns its row id once the batch holding it is committed.
    /// `items` are what `EventDecoder` made of exactly `event.body` (nil: not decoded here).
    /// Throws `EventWriterError` when the write failed or the writer has stopped.
    public func append(_ event: IncomingWebhook, items: [DecodedItem]? = nil) async throws -> Int64 {
        guard !stopped else { throw EventWriterError.stopped }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(event: event, items: items, continuation: continuation))
            wakeup.yield()
        }
    }

    /// Events waiting for the next transaction.
    public var queuedCount: Int { queue.count }

    /// Writes batches until graceful shutdown (or cancellation), then drains the queue and
    /// refuses further events. Run it once.
    public func run() async throws {
        guard !running else { return }
        running = true
        logger.debug("event writer started", metadata: ["batch_max_events": "\(batchMaxEvents)"])
        // Graceful shutdown cancels the loop (cutting a linger short); a batch being written
        // still completes, and whatever is queued is written below.
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
        stopped = true
        await drain(linger: false)
        logger.debug("event writer stopped", metadata: ["batches": "\(batchesWritten)", "events": "\(eventsWritten)"])
    }

    private func loop() async {
        for await _ in wakeups {
            await drain(linger: true)
        }
    }

    private func drain(linger: Bool) async {
        var linger = linger
        while !queue.isEmpty {
            if linger && queue.count < batchMaxEvents && batchMaxDelay > .zero {
                try? await sleep(batchMaxDelay)
            }
            linger = false
            let count = min(queue.count, batchMaxEvents)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            await write(batch)
        }
    }

    private func write(_ batch: [Pending]) async {
        let events = batch.map(\.event)
        let store = self.store
        // Handed over inside the transaction, before the commit makes the rows visible: the
        // processor never finds one of them in the log before its items are in the cache.
        let handOff = decoded.map { HandOff(cache: $0, items: batch.map { $0.event.outcome == .accepted ? $0.items : nil }) }
        do {
            let ids = try await Blocking.run { try store.appendWebhookEvents(events, beforeCommit: { handOff?.put($0) }) }
            guard ids.count == batch.count else {
                throw EventWriterError.writeFailed("the store returned \(ids.count) ids for \(batch.count) events")
            }
            batchesWritten += 1
            eventsWritten += batch.count
            largestBatch = max(largestBatch, batch.count)
            for (pending, id) in zip(batch, ids) { pending.continuation.resume(returning: id) }
            let rejected = events.filter { $0.outcome == .rejected }.count
            metrics.eventsReceived(accepted: events.count - rejected, rejected: rejected)
            onEventsAppended()
        } catch {
            // Nothing of the batch exists; the ids it was given will be handed out again.
            handOff?.forget()
            logger.error("event log write failed", metadata: ["events": "\(batch.count)", "error": "\(error)"])
            let failure = (error as? EventWriterError) ?? .writeFailed("\(error)")
            for pending in batch { pending.continuation.resume(throwing: failure) }
        }
    }
}

/// The items of one batch on their way into the cache, and which ids they went under (to take
/// them back when the commit fails).
private final class HandOff: Sendable {
    let cache: DecodedEventCache
    let items: [[DecodedItem]?]
    private let staged = Mutex<[Int64]>([])

    init(cache: DecodedEventCache, items: [[DecodedItem]?]) {
        self.cache = cache
        self.items = items
    }

    func put(_ inserted: [(index: Int, id: Int64)]) {
        let entries = inserted.compactMap { row -> (id: Int64, items: [DecodedItem])? in
            guard row.index < items.count, let items = items[row.index] else { return nil }
            return (row.id, items)
        }
        staged.withLock { $0 = entries.map(\.id) }
        cache.put(entries)
    }

    func forget() {
        cache.remove(staged.withLock { $0 })
    }
}
