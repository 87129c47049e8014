/// A role as the agent API enforces it.
public struct RoleRecord: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// Area -> allowed actions (`*` = all).
    public var permissions: [String: [String]]
    /// Holders must have 2FA on before they get past enrolment.
    public var requireTwoFactor: Bool

    public init(name: String, description: String?, permissions: [String: [String]], requireTwoFactor: Bool = false) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.requireTwoFactor = requireTwoFactor
    }
}
