/// A permission matrix: for each area, the actions a holder of the role may take.
public struct RoleSpec: Sendable, Hashable, Codable {
    public var description: String?
    public var permissions: [String: [String]]
    /// Holders must have 2FA on; until they do, serve lets them reach only 2FA enrolment.
    public var requireTwoFactor: Bool?

    /// Areas and the actions each accepts; `*` grants every action of an area.
    public static let areas: [(area: String, actions: [String])] = [
        ("templates", ["read", "create", "update", "delete"]),
        ("campaigns", ["read", "create", "update", "delete", "run", "pause"]),
        ("audiences", ["read", "create", "update", "delete"]),
        ("schedules", ["read", "create", "update", "delete"]),
        ("conversations", ["read", "reply", "assign", "notes", "close"]),
        ("contacts", ["read", "update"]),
        ("users", ["read", "create", "update", "delete"]),
        ("roles", ["read", "create", "update", "delete"]),
        ("webhooks", ["read", "replay", "update"]),
        ("settings", ["read", "update"]),
    ]

    public static let schema = ObjectSchema("A named set of permissions, enforced by the agent API.", [
        Property("description", .string, "What this role is for."),
        Property("permissions", .object(ObjectSchema("Actions allowed per area.", areas.map { entry in
            Property(entry.area, .array(items: .oneOf(entry.actions + ["*"])), "Allowed actions on \(entry.area): \(entry.actions.joined(separator: ", ")), or *.")
        })), required: true, "Actions allowed per area."),
        Property("requireTwoFactor", .boolean, "true: holders must turn on 2FA (TOTP) before serve lets them past enrolment."),
    ])
}
