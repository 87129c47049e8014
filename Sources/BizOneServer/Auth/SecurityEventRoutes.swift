import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// `GET /api/security-events[?user=NAME&limit=N]`: the account audit trail, for a role that
/// may read settings.
struct SecurityEventRoutes: Sendable {
    let store: StateStore

    struct Event: Encodable {
        var id: Int64?
        var at: Date
        var kind: String
        var user: String?
        var email: String?
        var sessionId: String?
        var ip: String?
        var detail: String?
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/security-events", .permission(Permission("settings", "read"))) { request, _, _ in
            let query = QueryItems(request.uri.query)
            let limit = query["limit"].flatMap { Int($0) }.map { min(max($0, 1), 1000) } ?? 200
            let user = query["user"]
            let store = self.store
            let events = try await Blocking.run { try store.securityEvents(userName: user, limit: limit) }
            return JSONResponse.make(.ok, ["events": events.map {
                Event(id: $0.id, at: $0.at, kind: $0.kind.rawValue, user: $0.userName, email: $0.email, sessionId: $0.sessionID,
                      ip: $0.ip, detail: $0.detail)
            }])
        }
    }
}
