import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Sends one forward over HTTP. The live one is `LiveForwardSender`; tests inject fakes.
public protocol ForwardSender: Sendable {
    /// POSTs `body` with `headers`; returns the HTTP status. Throws when no answer arrived
    /// (connection refused, timeout).
    func post(url: String, headers: [(String, String)], body: Data, timeout: Duration) async throws -> Int
}

/// A sender made of a closure.
public struct ClosureForwardSender: ForwardSender {
    let body: @Sendable (String, [(String, String)], Data, Duration) async throws -> Int

    public init(_ body: @escaping @Sendable (_ url: String, _ headers: [(String, String)], _ body: Data,
                                             _ timeout: Duration) async throws -> Int) {
        self.body = body
    }

    public func post(url: String, headers: [(String, String)], body: Data, timeout: Duration) async throws -> Int {
        try await self.body(url, headers, body, timeout)
    }
}

/// Delivers queued forwards (WebhookRoute `forward` actions): every `interval` it takes the due
/// deliveries, POSTs each one's ORIGINAL event body to the route's URL with
/// `Content-Type: application/json` and `X-BizOne-Signature-256: sha256=<hex HMAC-SHA256 of the
/// body with the route's secret>`, and records the attempt. A 2xx answer delivers it; any other
/// status or a network error is a failed attempt that the store schedules again with backoff,
/// until `maxAttempts` make it a dead letter.
///
/// `run()` has the shape of a swift-service-lifecycle `Service` and returns when cancelled.
public final class ForwardDispatcher: Sendable {
    public static let signatureHeader = "X-BizOne-Signature-256"

    public struct Configuration: Sendable {
        /// How often the queue is looked at.
        public var interval: Duration
        /// Deliveries taken per round.
        public var batchSize: Int
        /// Deliveries in flight at once.
        public var concurrency: Int
        /// Per-request timeout.
        public var timeout: Duration

        public init(interval: Duration = .seconds(1), batchSize: Int = 50, concurrency: Int = 4, timeout: Duration = .seconds(10)) {
            self.interval = interval
            self.batchSize = max(1, batchSize)
            self.concurrency = max(1, concurrency)
            self.timeout = timeout
        }
    }

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var attempted = 0
        public var delivered = 0
        public var failed = 0

        public init() {}
    }

    public let store: StateStore
    let sender: any ForwardSender
    public let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let resolveSecret: @Sendable (String) -> String?
    let onAttempt: (@Sendable (_ delivered: Bool) -> Void)?

    /// - Parameters:
    ///   - sender: the HTTP side (`LiveForwardSender()` in production).
    ///   - resolveSecret: turns `env:NAME` / `file:PATH` into the key, at send time.
    ///   - onAttempt: told about every attempt (for metrics).
    public init(store: StateStore, sender: any ForwardSender, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "bizone.forward"), now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                resolveSecret: @escaping @Sendable (String) -> String? = { SecretRef(reference: $0).flatMap { SecretResolver.resolve($0) } },
                onAttempt: (@Sendable (_ delivered: Bool) -> Void)? = nil) {
        self.store = store
        self.sender = sender
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.resolveSecret = resolveSecret
        self.onAttempt = onAttempt
    }

    /// Delivers until cancelled.
    public func run() async throws {
        logger.info("forward dispatcher started")
        await PollingLoop.run(every: configuration.interval, sleep: sleep, onError: { error in
            logger.error("forward dispatch failed; will retry", metadata: ["error": "\(error)"])
        }) {
            _ = try await dispatchDue()
        }
        logger.info("forward dispatcher stopped")
    }

    /// One round: every delivery due now (up to `batchSize`), `concurrency` at a time.
    @discardableResult
    public func dispatchDue() async throws -> Round {
        let due = try store.dueForwards(now: now(), limit: configuration.batchSize)
        var round = Round()
        guard !due.isEmpty else { return round }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var pending = due[...]
            var running = 0
            while running < configuration.concurrency, let next = pending.popFirst() {
                group.addTask { try await self.deliver(next) }
                running += 1
            }
            while let delivered = try await group.next() {
                round.attempted += 1
                if delivered { round.delivered += 1 } else { round.failed += 1 }
                if let next = pending.popFirst() {
                    group.addTask { try await self.deliver(next) }
                }
            }
        }
        return round
    }

    /// One attempt, recorded. Returns whether it was delivered.
    func deliver(_ delivery: ForwardDelivery) async throws -> Bool {
        let metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "event": "\(delivery.eventID)", "route": "\(delivery.route)",
            "attempt": "\(delivery.attempts + 1)/\(delivery.maxAttempts)",
        ]
        var status: Int?
        var failure: String?
        if let event = try store.webhookEvent(id: delivery.eventID) {
            if let secret = resolveSecret(delivery.secretRef) {
                let headers = [
                    ("Content-Type", "application/json"),
                    (Self.signatureHeader, WebhookSignature.sign(event.body, secret: secret)),
                    ("X-BizOne-Event-Id", String(delivery.eventID)),
                    ("X-BizOne-Route", delivery.route),
                ]
                do {
                    status = try await sender.post(url: delivery.url, headers: headers, body: event.body, timeout: configuration.timeout)
                    if let status, !(200..<300).contains(status) { failure = "HTTP \(status)" }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    failure = "\(error)"
                }
            } else {
                // The reference is not a secret; its value never appears here.
                failure = "secret \(delivery.secretRef) is not set"
            }
        } else {
            failure = "event \(delivery.eventID) is no longer in the event log"
        }
        let delivered = failure == nil
        try store.recordForwardAttempt(id: delivery.id, at: now(), httpStatus: status, error: failure, delivered: delivered)
        onAttempt?(delivered)
        if delivered {
            logger.debug("forward delivered", metadata: metadata.merging(["status": "\(status ?? 0)"]) { $1 })
        } else if delivery.attempts + 1 >= delivery.maxAttempts {
            logger.error("forward dead-lettered after its last attempt", metadata: metadata.merging(["error": "\(failure ?? "")"]) { $1 })
        } else {
            logger.warning("forward attempt failed; will retry", metadata: metadata.merging(["error": "\(failure ?? "")"]) { $1 })
        }
        return delivered
    }
}
