import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// The webhook event log for operators: `GET /api/webhook-events[?failed=true&limit=N]` (newest
/// first, without bodies) and `POST /api/webhook-events/{id}/replay`, which processes one stored
/// event again exactly as `bizone webhooks replay --id` does (idempotent: what is already in
/// the state changes nothing).
struct EventLogRoutes: Sendable {
    let store: StateStore
    let replay: (@Sendable ([Int64]) async throws -> ProcessingReport)?

    struct Event: Encodable {
        var id: Int64
        var receivedAt: Date
        var path: String
        var outcome: String
        var rejectReason: String?
        var processedAt: Date?
        var processingError: String?
        var bytes: Int
    }

    struct Replayed: Encodable {
        var event: Int64
        var items: Int
        var changedAnything: Bool
        var failed: Int
        var error: String?
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/webhook-events", .permission(Permission("webhooks", "read"))) { request, _, _ in
            let query = QueryItems(request.uri.query)
            let limit = query["limit"].flatMap { Int($0) }.map { min(max($0, 1), 500) } ?? 100
            let failedOnly = query["failed"] == "true"
            let store = self.store
            let events = try await Blocking.run { try store.recentWebhookEvents(limit: limit, failedOnly: failedOnly) }
            return JSONResponse.make(.ok, ["events": events.map {
                Event(id: $0.id, receivedAt: $0.receivedAt, path: $0.path, outcome: $0.outcome.rawValue, rejectReason: $0.rejectReason,
                      processedAt: $0.processedAt, processingError: $0.processingError, bytes: $0.body.count)
            }])
        }
        router.post("/api/webhook-events/{id}/replay", .permission(Permission("webhooks", "replay"))) { _, context, _ in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw ApiError(.notFound, "not_found", "no webhook event with this id")
            }
            guard let replay else { throw ApiError(.serviceUnavailable, "replay_unavailable", "this server does not process events") }
            let store = self.store
            guard let event = try await Blocking.run({ try store.webhookEvent(id: id) }) else {
                throw ApiError(.notFound, "not_found", "no webhook event \(id)")
            }
            guard event.outcome == .accepted else {
                throw ApiError(.unprocessableContent, "not_replayable", "event \(id) was rejected when it arrived; it is not processed")
            }
            let report = try await replay([id])
            return JSONResponse.make(.ok, Replayed(event: id, items: report.items, changedAnything: report.changedAnything,
                                                   failed: report.failedEvents, error: report.errors[id]))
        }
    }
}
