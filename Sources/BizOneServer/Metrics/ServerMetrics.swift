import Metrics
import Prometheus
import Synchronization

/// The metrics of `bizone serve`, kept in one Prometheus registry that `/metrics` renders.
///
/// Every metric is made through swift-metrics with a `PrometheusMetricsFactory` bound to the
/// given registry, never through `MetricsSystem.bootstrap` (which works once per process), so
/// tests can each use their own registry. Other modules count through the typed helpers and
/// never need the label names.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Factory on `registry`, for modules that want metrics of their own in the same output.
    public let factory: PrometheusMetricsFactory

    /// Metric names, as they appear in `/metrics`.
    public enum Name {
        public static let httpRequests = "bizone_http_requests_total"
        public static let httpRequestsAbandoned = "bizone_http_requests_abandoned_total"
        public static let signatureFailures = "bizone_webhook_signature_failures_total"
        public static let eventsReceived = "bizone_events_received_total"
        public static let eventBacklog = "bizone_event_backlog"
        public static let eventBacklogAge = "bizone_event_backlog_age_seconds"
        public static let processingBehind = "bizone_processing_behind"
        public static let processingLag = "bizone_processing_lag_seconds"
        public static let eventsProcessed = "bizone_events_processed_total"
        public static let eventsFailed = "bizone_events_failed_total"
        public static let forwardAttempts = "bizone_forward_attempts_total"
        public static let sends = "bizone_sends_total"
        public static let slaBreaches = "bizone_sla_breaches_total"
    }

    private let signatureFailures: Metrics.Counter
    private let receivedAccepted: Metrics.Counter
    private let receivedRejected: Metrics.Counter
    private let backlog: Metrics.Gauge
    private let backlogAge: Metrics.Gauge
    private let behind: Metrics.Gauge
    private let processingLag: Metrics.Gauge
    private let processed: Metrics.Counter
    private let failed: Metrics.Counter
    private let campaignSends: Metrics.Counter
    private let replySends: Metrics.Counter
    /// `httpRequests` by route and status, made once each: making a counter looks it up in the
    /// registry under its lock, which every request would otherwise pay.
    private let httpCounters = Mutex<[HTTPKey: Metrics.Counter]>([:])
    private let countedBreaches = Mutex<[String: Int]>([:])
    private struct HTTPKey: Hashable {
        var route: String
        var status: Int
    }
    /// The state's send counts at the last scrape, so the counters move by what changed.
    private let countedSends = Mutex((campaigns: 0, replies: 0))

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        signatureFailures = Metrics.Counter(label: Name.signatureFailures, factory: factory)
        receivedAccepted = Metrics.Counter(label: Name.eventsReceived, dimensions: [("outcome", "accepted")], factory: factory)
        receivedRejected = Metrics.Counter(label: Name.eventsReceived, dimensions: [("outcome", "rejected")], factory: factory)
        backlog = Metrics.Gauge(label: Name.eventBacklog, factory: factory)
        backlogAge = Metrics.Gauge(label: Name.eventBacklogAge, factory: factory)
        behind = Metrics.Gauge(label: Name.processingBehind, factory: factory)
        processingLag = Metrics.Gauge(label: Name.processingLag, factory: factory)
        processed = Metrics.Counter(label: Name.eventsProcessed, factory: factory)
        failed = Metrics.Counter(label: Name.eventsFailed, factory: factory)
        campaignSends = Metrics.Counter(label: Name.sends, dimensions: [("source", "campaign")], factory: factory)
        replySends = Metrics.Counter(label: Name.sends, dimensions: [("source", "reply")], factory: factory)
        // Known outcomes show up as 0 before the first attempt.
        for outcome in [ForwardOutcome.success, .retry, .failure] {
            _ = Metrics.Counter(label: Name.forwardAttempts, dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
    }

    // MARK: HTTP and webhooks (the server)

    /// One answered request; `route` is the matched route pattern (or "unmatched").
    public func httpRequest(route: String, status: Int) {
        let key = HTTPKey(route: route, status: status)
        let counter = httpCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(label: Name.httpRequests, dimensions: [("route", route), ("status", String(status))],
                                          factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// A request its client gave up on before it was read (hung up, or past the read timeout):
    /// nobody was answered, so it is not in `httpRequests`, and never a server error.
    public func httpRequestAbandoned(route: String, reason: String) {
        Metrics.Counter(label: Name.httpRequestsAbandoned, dimensions: [("route", route), ("reason", reason)],
                        factory: factory).increment()
    }

    /// A webhook POST refused because `X-Hub-Signature-256` was missing or wrong.
    public func signatureFailure() {
        signatureFailures.increment()
    }

    /// Events made durable in the event log, by outcome.
    public func eventsReceived(accepted: Int, rejected: Int) {
        if accepted > 0 { receivedAccepted.increment(by: accepted) }
        if rejected > 0 { receivedRejected.increment(by: rejected) }
    }

    /// Accepted events not processed yet, how long the oldest has waited, and whether that
    /// is behind (1) or keeping up (0) (refreshed on every scrape).
    public func setPressure(_ pressure: ProcessingPressure) {
        backlog.record(pressure.backlog)
        backlogAge.record(pressure.oldestAge)
        behind.record(pressure.level == .keepingUp ? 0 : 1)
    }

    // MARK: Processing (the event processor, the forwarder, the sender)

    /// Age of the oldest unprocessed event, or how late the last processed one was handled.
    public func setProcessingLag(seconds: Double) {
        processingLag.record(seconds)
    }

    public func eventProcessed(count: Int = 1) {
        if count > 0 { processed.increment(by: count) }
    }

    public func eventFailed(count: Int = 1) {
        if count > 0 { failed.increment(by: count) }
    }

    /// One attempt to forward an event to a route's URL.
    public func forwardAttempt(_ outcome: ForwardOutcome) {
        Metrics.Counter(label: Name.forwardAttempts, dimensions: [("outcome", outcome.rawValue)], factory: factory).increment()
    }

    /// Messages Meta accepted, as the state counts them (refreshed on every scrape): sends made
    /// by any process on this state show, a foreground `campaign run` included.
    public func syncSends(campaigns: Int, replies: Int) {
        let (newCampaigns, newReplies) = countedSends.withLock { counted -> (Int, Int) in
            defer { counted = (max(counted.campaigns, campaigns), max(counted.replies, replies)) }
            return (max(0, campaigns - counted.campaigns), max(0, replies - counted.replies))
        }
        if newCampaigns > 0 { campaignSends.increment(by: newCampaigns) }
        if newReplies > 0 { replySends.increment(by: newReplies) }
    }

    /// SLA breaches as the state counts them, by "sla target" (refreshed on every scrape, so
    /// breaches any server found show).
    public func syncSLABreaches(_ counts: [String: Int]) {
        let increments = countedBreaches.withLock { counted -> [(String, Int)] in
            var deltas: [(String, Int)] = []
            for (key, count) in counts where count > counted[key, default: 0] {
                deltas.append((key, count - counted[key, default: 0]))
                counted[key] = count
            }
            return deltas
        }
        for (key, delta) in increments {
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            Metrics.Counter(label: Name.slaBreaches, dimensions: [("sla", parts.first ?? key), ("target", parts.count > 1 ? parts[1] : "")],
                            factory: factory).increment(by: delta)
        }
    }

    /// The registry in Prometheus' text exposition format.
    public func render() -> String {
        registry.emitToString()
    }
}
