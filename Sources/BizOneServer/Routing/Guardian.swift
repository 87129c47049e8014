import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// Decides whether a request may reach its route: finds the caller from the bearer access
/// token (in the store, so a revoked session fails at once and on every server), resolves the
/// declared role matrix, and records a `permission_denied` security event for a 403.
struct Guardian: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date

    func admit(_ request: Request, context: ServerContext, access: Access) async throws -> Principal? {
        if case .open = access {
            return nil
        }
        guard let admission = try await admission(request) else { throw ApiError.unauthenticated }
        let principal = admission.principal
        let matrix = Self.matrix(admission.roles)
        if access != .enrolment, matrix.requiresTwoFactor(principal.user.roles), !admission.twoFactorOn {
            throw ApiError(.forbidden, "two_factor_enrolment_required",
                           "your role requires 2FA: turn it on first (POST /api/me/2fa, then POST /api/me/2fa/confirm)")
        }
        guard case .permission(let needed) = access else { return principal }
        if matrix.allows(principal.user.roles, needed) { return principal }
        let at = now()
        let event = SecurityEvent(at: at, kind: .permissionDenied, userName: principal.user.name, email: principal.user.email,
                                  sessionID: principal.sessionID, ip: context.clientIP,
                                  detail: "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path) needs \(needed)")
        let store = self.store
        try? await Blocking.run { try store.recordSecurityEvent(event) }
        throw ApiError.forbidden(needed)
    }

    /// The caller behind `Authorization: Bearer` with what the guard needs, or nil when there
    /// is no token or it is no good.
    func admission(_ request: Request) async throws -> Admission? {
        guard let token = Self.bearer(request) else { return nil }
        let hash = SecretToken.hash(token)
        let store = self.store
        let at = now()
        return try await Blocking.run { try store.admission(accessHash: hash, at: at) }
    }

    /// What each role grants now: the applied roles, or the built-in fallback without any.
    static func matrix(_ roles: [RoleRecord]) -> RoleMatrix {
        RoleMatrix(declared: Dictionary(roles.map { ($0.name, $0.permissions) }, uniquingKeysWith: { first, _ in first }),
                   requiringTwoFactor: Set(roles.filter(\.requireTwoFactor).map(\.name)))
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
