import BizOneStore
import Foundation
import Hummingbird

/// `GET /metrics`: refreshes the backlog gauges (size, age of the oldest, behind or not) and
/// the send counters from the store, then renders the registry in Prometheus' text format.
struct MetricsRoutes: Sendable {
    let metrics: ServerMetrics
    let store: StateStore
    let limits: ProcessingPressure.Limits
    let now: @Sendable () -> Date

    static let path = "/metrics"

    func register(on router: inout GuardedRouter) {
        router.get(Self.path, .open(reason: "Prometheus scrapes it; counters only (bind serve to a private address)")) { _, context, _ in
            let store = self.store
            do {
                let limits = self.limits
                let now = self.now()
                metrics.setPressure(try await Blocking.run { try ProcessingPressure.read(store, limits: limits, now: now) })
                let sent = try await Blocking.run { try store.sentMessageCounts() }
                metrics.syncSends(campaigns: sent.campaigns, replies: sent.replies)
                metrics.syncSLABreaches(try await Blocking.run { try store.slaBreachCounts() })
            } catch {
                context.logger.warning("state counts unavailable", metadata: ["error": "\(error)"])
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }
}
