/// A role as the agent API enforces it.
public struct RoleRecord: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// Area -> allowed actions (`*` = all).
    public var permissions: [String: [String]]

    public init(name: String, description: String?, permissions: [String: [String]]) {
        self.name = name
        self.description = description
        self.permissions = permissions
    }
}
