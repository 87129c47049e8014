/// Which permissions each role grants: the declared roles when there are any, otherwise the
/// built-in fallback for admin, editor and agent (so a fresh install without Role documents
/// still has a working, conservative guard).
///
/// A user holds the union of the permissions of their roles; a role name with no matrix
/// entry grants nothing (a user may name a role that is not applied yet).
public struct RoleMatrix: Sendable, Hashable {
    /// Role name -> granted permissions.
    public var grants: [String: Set<Permission>]
    /// True when no Role is declared and `builtIn` applies.
    public var isFallback: Bool
    /// Roles whose holders must have 2FA on (`spec.requireTwoFactor`).
    public var requiringTwoFactor: Set<String>

    public init(grants: [String: Set<Permission>], isFallback: Bool, requiringTwoFactor: Set<String> = []) {
        self.grants = grants
        self.isFallback = isFallback
        self.requiringTwoFactor = requiringTwoFactor
    }

    /// From declared roles (area -> actions, `*` = every action of the area); unknown areas
    /// and actions are ignored (validation refuses them before apply).
    public init(declared roles: [String: [String: [String]]], requiringTwoFactor: Set<String> = []) {
        guard !roles.isEmpty else {
            self = .builtIn
            return
        }
        var grants: [String: Set<Permission>] = [:]
        for (role, permissions) in roles {
            grants[role] = Self.expand(permissions)
        }
        self.init(grants: grants, isFallback: false, requiringTwoFactor: requiringTwoFactor.intersection(roles.keys))
    }

    /// Whether a holder of `roles` must have 2FA on.
    public func requiresTwoFactor(_ roles: [String]) -> Bool {
        roles.contains { requiringTwoFactor.contains($0) }
    }

    /// What a holder of `roles` may do.
    public func permissions(of roles: [String]) -> Set<Permission> {
        roles.reduce(into: Set<Permission>()) { $0.formUnion(grants[$1] ?? []) }
    }

    public func allows(_ roles: [String], _ permission: Permission) -> Bool {
        roles.contains { grants[$0]?.contains(permission) == true }
    }

    /// The fallback: admin may do everything, editor manages what campaigns are made of and
    /// reads the inbox, agent works the inbox (the same split as the example `pipelines/`).
    public static let builtIn = RoleMatrix(grants: [
        "admin": Set(Permission.all),
        "editor": expand([
            "templates": ["*"], "campaigns": ["*"], "audiences": ["*"], "schedules": ["*"],
            "conversations": ["read"], "contacts": ["read"],
        ]),
        "agent": expand(["conversations": ["read", "reply", "assign", "notes"], "contacts": ["read"], "templates": ["read"]]),
    ], isFallback: true)

    static func expand(_ permissions: [String: [String]]) -> Set<Permission> {
        var granted: Set<Permission> = []
        for entry in RoleSpec.areas {
            guard let actions = permissions[entry.area] else { continue }
            for action in entry.actions where actions.contains("*") || actions.contains(action) {
                granted.insert(Permission(entry.area, action))
            }
        }
        return granted
    }
}
