import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Processes the webhook event log asynchronously and idempotently (DESIGN.md §7).
///
/// `bizone serve` stores every accepted webhook before answering 200; this service reads the
/// log after the processing cursor in batches, applies every item (message statuses to the
/// ledger, inbound messages to conversations, template events to template state), runs the
/// WebhookRoutes' actions, and moves the cursor. An event that throws is marked with its error
/// and skipped; it never blocks the queue. A busy database stops the batch without moving the
/// cursor, so it is retried.
///
/// Replaying any events changes nothing: statuses are deduplicated by the ledger, inbound
/// messages are inserted once, forwards are enqueued once per (event, route), template
/// observations equal to the stored state are no-ops and older ones are ignored. Side effects
/// outside the state (auto-replies) happen only for an inbound message seen for the first time.
///
/// `run()` has the shape of a swift-service-lifecycle `Service` and returns when its task is
/// cancelled (wrap it in `cancelWhenGracefulShutdown`).
public final class EventProcessor: Sendable {
    public struct Configuration: Sendable {
        /// Events read per batch (and per cursor move).
        public var batchSize: Int
        /// How long `run()` sleeps when nothing wakes it.
        public var pollInterval: Duration
        /// Free-text auto-replies are sent only this soon after the inbound message (Meta's
        /// customer service window, reference §18.4).
        public var serviceWindow: TimeInterval
        /// How long `run()` lets events gather after a wake-up before it processes them. Every
        /// batch pays for its reads, its transactions and their commits whatever its size: at a
        /// steady 3,000 events/s the server wakes the processor for every group commit of a few
        /// events, and gathering for a few milliseconds makes the batches ten times larger for
        /// a few milliseconds of processing lag. Zero: process at once.
        public var linger: Duration

        public init(batchSize: Int = 500, pollInterval: Duration = .seconds(2), serviceWindow: TimeInterval = 24 * 3600,
                    linger: Duration = .zero) {
            self.batchSize = max(1, batchSize)
            self.pollInterval = pollInterval
            self.serviceWindow = serviceWindow
            self.linger = linger
        }
    }

    public let store: StateStore
    public let meta: MetaClients
    public let configuration: Configuration
    let observer: (any EventProcessingObserver)?
    /// Items the server decoded at ingest, by event id (nil: always decode the stored body).
    let decoded: DecodedEventCache?
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    private let signal = WakeSignal()
    private let gate = AsyncGate()
    private let routeTables = RouteTableCache()
    private let executor = DispatchTaskExecutor(label: "bizone.events.processor")

    /// - Parameters:
    ///   - meta: Graph clients by integration, for auto-replies; without one, auto-replies are
    ///     logged and skipped.
    ///   - observer: told about every committed batch (for metrics).
    ///   - decoded: where the server in this process hands over the items it decoded.
    ///   - now: the clock for processing times and the service window.
    ///   - sleep: how `run()` waits between polls.
    public init(store: StateStore, meta: MetaClients = MetaClients(), configuration: Configuration = Configuration(),
                observer: (any EventProcessingObserver)? = nil, decoded: DecodedEventCache? = nil, logger: Logger = Logger(label: "bizone.events"),
                now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.meta = meta
        self.configuration = configuration
        self.observer = observer
        self.decoded = decoded
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    /// Asks `run()` to look at the log now (the server calls it after appending events).
    /// Cheap and safe to call from anywhere, any number of times.
    public func wake() {
        Task { await signal.signal() }
    }

    /// Processes until cancelled: on every wake-up and at least every `pollInterval`.
    public func run() async throws {
        try await withTaskExecutorPreference(executor) { try await self.runLoop() }
    }

    private func runLoop() async throws {
        logger.info("event processor started", metadata: ["batchSize": "\(configuration.batchSize)"])
        while !Task.isCancelled {
            do {
                try await processAll()
                await signal.wait(timeout: configuration.pollInterval, sleep: sleep)
                if configuration.linger > .zero { try await sleep(configuration.linger) }
            } catch is CancellationError {
                break
            } catch {
                logger.error("event processing paused; will retry", metadata: ["error": "\(error)"])
                await signal.wait(timeout: configuration.pollInterval, sleep: sleep)
            }
        }
        logger.info("event processor stopped")
    }

    /// Processes batches after the cursor until no accepted event is left, moving the cursor
    /// after each batch. Returns what was done.
    ///
    /// Items come from `decoded` (what the server decoded before its 200) where it has them,
    /// and from the stored body otherwise; the log decides which events and in what order.
    @discardableResult
    public func processAll() async throws -> ProcessingReport {
        try await gate.run {
            var total = ProcessingReport()
            while true {
                try Task.checkCancellation()
                let cursor = try self.store.processingCursor()
                self.decoded?.discard(upTo: cursor)
                let refs = try self.store.acceptedEventRefs(after: cursor, limit: self.configuration.batchSize)
                guard let last = refs.last else { break }
                let report = try await self.processBatch(try self.items(of: refs))
                let at = self.now()
                try self.store.markProcessed(upTo: last.id, errors: report.errors, at: at)
                self.decoded?.discard(upTo: last.id)
                let oldest = refs.map(\.receivedAt).min() ?? at
                self.observer?.batchProcessed(ProcessedBatch(report: report, lagSeconds: max(0, at.timeIntervalSince(oldest)),
                                                             lastEventID: last.id))
                if report.failedEvents > 0 {
                    self.logger.warning("events failed processing", metadata: [
                        "failed": "\(report.failedEvents)", "ids": "\(report.errors.keys.sorted().map(String.init).joined(separator: ","))",
                    ])
                }
                total.add(report)
            }
            return total
        }
    }

    /// The items of every event in `refs`, in their order: from the in-memory hand-off, and
    /// for the rest decoded from the bodies read from the log in one query.
    private func items(of refs: [WebhookEventRef]) throws -> [(event: WebhookEventRef, items: Result<[DecodedItem], EventDecoder.DecodeError>)] {
        let held = decoded?.take(refs.map(\.id)) ?? [:]
        let missing = refs.map(\.id).filter { held[$0] == nil }
        var bodies: [Int64: StoredWebhookEvent] = [:]
        if !missing.isEmpty {
            for event in try store.webhookEvents(since: nil, ids: missing, limit: nil) { bodies[event.id] = event }
        }
        return refs.map { ref in
            if let items = held[ref.id] { return (ref, .success(items)) }
            guard let stored = bodies[ref.id] else {
                return (ref, .failure(EventDecoder.DecodeError("event \(ref.id) disappeared from the log")))
            }
            return (ref, Self.decode(stored))
        }
    }

    private static func decode(_ event: StoredWebhookEvent) -> Result<[DecodedItem], EventDecoder.DecodeError> {
        do {
            return .success(try EventDecoder.decodeItems(event.body, receivedAt: event.receivedAt))
        } catch let error as EventDecoder.DecodeError {
            return .failure(error)
        } catch {
            return .failure(EventDecoder.DecodeError("\(error)"))
        }
    }

    /// Processes the given events again (`bizone webhooks replay`), rejected ones skipped, in
    /// id order. Leaves the cursor and the events' processing marks alone.
    public func process(events: [StoredWebhookEvent]) async throws -> ProcessingReport {
        try await gate.run {
            let accepted = events.filter { $0.outcome == .accepted }.sorted { $0.id < $1.id }
            var total = ProcessingReport()
            var start = 0
            while start < accepted.count {
                try Task.checkCancellation()
                let end = min(start + self.configuration.batchSize, accepted.count)
                total.add(try await self.processBatch(accepted[start..<end].map { ($0.ref, Self.decode($0)) }))
                start = end
            }
            return total
        }
    }

    // MARK: - One batch

    /// Applies one batch. Throws only for what should stop processing (cancellation, a busy
    /// or unreadable database); any other error is recorded against its event.
    func processBatch(_ events: [(event: WebhookEventRef, items: Result<[DecodedItem], EventDecoder.DecodeError>)]) async throws
        -> ProcessingReport {
        var report = ProcessingReport()
        report.events = events.count
        let (routes, built) = try routeTables.table(from: store)
        if built {
            for problem in routes.problems { logger.warning("webhook route skipped", metadata: ["problem": "\(problem)"]) }
        }

        var decoded: [(event: WebhookEventRef, items: [DecodedItem])] = []
        decoded.reserveCapacity(events.count)
        for (event, result) in events {
            switch result {
            case .success(let items):
                decoded.append((event, items))
                report.items += items.count
            case .failure(let error):
                fail(event.id, error, &report)
            }
        }

        // Statuses are most of the traffic: one write transaction for the whole batch.
        let statusOutcomes = try applyStatuses(decoded, &report)

        var context = BatchContext(routes: routes)
        for (event, items) in decoded where report.errors[event.id] == nil {
            do {
                try await handle(event, items, statusOutcomes: statusOutcomes[event.id] ?? [], context: &context, report: &report)
            } catch {
                if Self.stopsProcessing(error) { throw error }
                fail(event.id, error, &report)
            }
        }
        return report
    }

    /// What a batch reads lazily and reuses.
    struct BatchContext {
        var routes: RouteTable
        var users: [UserRecord]?
    }

    private func fail(_ id: Int64, _ error: any Error, _ report: inout ProcessingReport) {
        report.failedEvents += 1
        report.errors[id] = "\(error)"
        logger.warning("webhook event failed", metadata: ["event": "\(id)", "error": "\(error)"])
    }

    /// Errors that must not be pinned on one event: the next attempt may well succeed.
    static func stopsProcessing(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? StoreError, case .busy = error { return true }
        return false
    }

    /// Applies every status of the batch, in event order, in one call; when that fails, event
    /// by event so the failure lands on the event that caused it.
    private func applyStatuses(_ decoded: [(event: WebhookEventRef, items: [DecodedItem])],
                               _ report: inout ProcessingReport) throws -> [Int64: [MessageStatusOutcome]] {
        var batch: [(MessageStatusEvent, Int64)] = []
        for (event, items) in decoded {
            for decodedItem in items {
                if case .status(let status) = decodedItem.item { batch.append((status, event.id)) }
            }
        }
        guard !batch.isEmpty else { return [:] }
        var outcomes: [Int64: [MessageStatusOutcome]] = [:]
        do {
            let results = try store.applyMessageStatuses(batch)
            for (index, outcome) in results.enumerated() where index < batch.count {
                outcomes[batch[index].1, default: []].append(outcome)
            }
        } catch {
            if Self.stopsProcessing(error) { throw error }
            logger.warning("batched status update failed; applying event by event", metadata: ["error": "\(error)"])
            outcomes = [:]
            for (event, items) in decoded {
                do {
                    for decodedItem in items {
                        guard case .status(let status) = decodedItem.item else { continue }
                        outcomes[event.id, default: []].append(try store.applyMessageStatus(status, eventID: event.id))
                    }
                } catch {
                    if Self.stopsProcessing(error) { throw error }
                    outcomes[event.id] = nil
                    fail(event.id, error, &report)
                }
            }
        }
        for outcome in outcomes.values.joined() {
            switch outcome {
            case .advanced: report.statusesAdvanced += 1
            case .duplicate: report.statusesDuplicate += 1
            case .stale: report.statusesStale += 1
            }
        }
        return outcomes
    }

    /// Everything but the statuses (already applied) for one event, then its routes.
    private func handle(_ event: WebhookEventRef, _ items: [DecodedItem], statusOutcomes: [MessageStatusOutcome],
                        context: inout BatchContext, report: inout ProcessingReport) async throws {
        var forwarded: Set<String> = []
        for decodedItem in items {
            var inbound: InboundOutcome?
            switch decodedItem.item {
            case .status:
                break
            case .inbound(let message):
                let outcome = try store.recordInbound(message, eventID: event.id)
                if outcome.isNew { report.inboundNew += 1 } else { report.inboundDuplicate += 1 }
                inbound = outcome
            case .templateStatus(let update):
                count(try applyTemplateStatus(update, event: event), &report)
            case .templateQuality(let update):
                count(try applyTemplateQuality(update, event: event), &report)
            case .templateCategory(let update):
                count(try applyTemplateCategory(update, event: event), &report)
            case .valueErrors(let field, let errors):
                report.metaErrors += errors.count
                for error in errors {
                    logger.error("Meta reported an error in a webhook", metadata: [
                        "event": "\(event.id)", "field": "\(field)", "code": "\(error.code)",
                        "title": "\(error.title ?? "")", "details": "\(error.details ?? "")",
                    ])
                }
            case .unknown(let field):
                report.ignoredItems += 1
                logger.debug("webhook field not handled; kept in the event log", metadata: ["event": "\(event.id)", "field": "\(field)"])
            case .malformed(let field, let reason):
                report.ignoredItems += 1
                logger.warning("webhook item unreadable; kept in the event log", metadata: [
                    "event": "\(event.id)", "field": "\(field)", "reason": "\(reason)",
                ])
            }
            for route in context.routes.matching(decodedItem) {
                try await runActions(of: route, item: decodedItem.item, inbound: inbound, event: event, forwarded: &forwarded,
                                     context: &context, report: &report)
            }
        }
    }

    private func count(_ changed: Bool, _ report: inout ProcessingReport) {
        if changed { report.templateUpdates += 1 } else { report.templateIgnored += 1 }
    }
}

