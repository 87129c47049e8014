import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// The signed-in person's own side: `GET /api/me`, `/api/me/permissions`, `/api/me/sessions`
/// and `DELETE /api/me/sessions/{id}` (sign one device out; the others stay signed in).
struct MeRoutes: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date

    struct Me: Encodable {
        var name: String
        var email: String
        var displayName: String
        var roles: [String]
        var teams: [String]
        var sessionId: String
    }

    struct Permissions: Encodable {
        /// Area -> allowed actions, for a permission-aware UI.
        var permissions: [String: [String]]
        /// True when no Role is declared and the built-in matrix applies.
        var fallbackMatrix: Bool
    }

    struct Session: Encodable {
        var id: String
        var createdAt: Date
        var lastUsedAt: Date
        var expiresAt: Date
        var ip: String?
        var userAgent: String?
        var current: Bool
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/me", .enrolment) { _, _, principal in
            let principal = try Self.required(principal)
            let user = principal.user
            return JSONResponse.make(.ok, Me(name: user.name, email: user.email, displayName: user.displayName, roles: user.roles,
                                             teams: user.teams, sessionId: principal.sessionID))
        }
        router.get("/api/me/permissions", .signedIn) { _, _, principal in
            let principal = try Self.required(principal)
            let store = self.store
            let matrix = Guardian.matrix(try await Blocking.run { try store.roles() })
            var areas: [String: [String]] = [:]
            for permission in matrix.permissions(of: principal.user.roles).sorted() {
                areas[permission.area, default: []].append(permission.action)
            }
            return JSONResponse.make(.ok, Permissions(permissions: areas, fallbackMatrix: matrix.isFallback))
        }
        router.get("/api/me/sessions", .signedIn) { _, _, principal in
            let principal = try Self.required(principal)
            let store = self.store
            let at = now()
            let sessions = try await Blocking.run { try store.sessions(userName: principal.user.name, at: at) }
            return JSONResponse.make(.ok, ["sessions": sessions.map {
                Session(id: $0.id, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt, expiresAt: $0.expiresAt, ip: $0.ip,
                        userAgent: $0.userAgent, current: $0.id == principal.sessionID)
            }])
        }
        router.delete("/api/me/sessions/{id}", .signedIn) { _, context, principal in
            let principal = try Self.required(principal)
            guard let id = context.parameters.get("id") else { throw ApiError.badRequest("id: missing") }
            let store = self.store
            let at = now()
            let event = SecurityEvent(at: at, kind: .sessionRevoked, userName: principal.user.name, email: principal.user.email,
                                      sessionID: id, ip: context.clientIP, detail: "signed out from another device")
            let revoked = try await Blocking.run {
                try store.revokeSession(id: id, userName: principal.user.name, reason: "revoked by its user", at: at, event: event)
            }
            guard revoked else { throw ApiError(.notFound, "not_found", "you have no live session with this id") }
            return Response(status: .noContent)
        }
    }

    static func required(_ principal: Principal?) throws -> Principal {
        guard let principal else { throw ApiError.unauthenticated }
        return principal
    }
}
