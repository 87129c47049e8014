import BizOneModel

/// What a route requires of the caller. Every route under `/api` declares one (a route
/// registered without it stops the server from starting), so the guard is never forgotten.
public enum Access: Sendable, Hashable, CustomStringConvertible {
    /// Anyone; `reason` says why that is safe (a Meta signature, a probe with no data).
    case open(reason: String)
    /// Any signed-in user, whatever their roles (their own profile and sessions).
    case signedIn
    /// Any signed-in user, even one whose role requires 2FA they have not turned on yet: the
    /// way to enrolment (and out).
    case enrolment
    /// A signed-in user whose roles grant this permission.
    case permission(Permission)

    public var description: String {
        switch self {
        case .open: return "open"
        case .signedIn: return "signed in"
        case .enrolment: return "signed in (2FA enrolment)"
        case .permission(let permission): return permission.description
        }
    }

    /// Whether a caller with these permissions (nil: not signed in) gets through.
    public func admits(_ granted: Set<Permission>?) -> Bool {
        switch self {
        case .open: return true
        case .signedIn, .enrolment: return granted != nil
        case .permission(let permission): return granted?.contains(permission) == true
        }
    }
}

/// One route and what it requires, for `bizone roles audit` and the route-matrix test.
public struct RouteDeclaration: Sendable, Hashable {
    public var method: String
    public var path: String
    public var access: Access

    public init(method: String, path: String, access: Access) {
        self.method = method
        self.path = path
        self.access = access
    }
}
