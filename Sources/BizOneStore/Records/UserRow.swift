import GRDB

/// A row of `users`; roles live in `user_roles` so they can reference `roles`.
struct UserRow: StoreRow {
    static let databaseTableName = "users"

    var name: String
    var email: String
    var displayName: String
    var disabled: Bool
    /// JSON array.
    var teams: [String]

    enum CodingKeys: String, CodingKey {
        case name, email, disabled, teams
        case displayName = "display_name"
    }

    enum Columns {
        static let name = Column(CodingKeys.name)
        static let email = Column(CodingKeys.email)
    }
}
