/// A person who uses the portal. Never a password: sign-in is set up outside git.
public struct UserSpec: Sendable, Hashable, Codable {
    public var email: String
    public var displayName: String
    public var roles: [String]
    public var teams: [String]
    public var disabled: Bool

    public static let schema = ObjectSchema("A portal user with roles and teams.", [
        Property("email", .string(.email), required: true, "Sign-in email."),
        Property("displayName", .string(StringSchema(minLength: 1)), required: true, "Name shown to colleagues."),
        Property("roles", .array(items: .string(.resourceName), minItems: 1), required: true, "Role names."),
        Property("teams", .array(items: .string(.resourceName)), default: .array([]), "Teams, for inbox assignment."),
        Property("disabled", .boolean, default: .bool(false), "true blocks sign-in without deleting the user."),
    ])
}
