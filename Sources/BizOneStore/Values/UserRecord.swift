/// A portal user with the roles granted through `user_roles`.
public struct UserRecord: Sendable, Hashable {
    public var name: String
    public var email: String
    public var displayName: String
    public var disabled: Bool
    public var teams: [String]
    /// Role names, sorted.
    public var roles: [String]

    public init(name: String, email: String, displayName: String, disabled: Bool, teams: [String], roles: [String]) {
        self.name = name
        self.email = email
        self.displayName = displayName
        self.disabled = disabled
        self.teams = teams
        self.roles = roles
    }
}
