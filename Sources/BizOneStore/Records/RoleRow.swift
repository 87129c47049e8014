import GRDB

/// A row of `roles`; `permissions` is stored as JSON with sorted keys.
struct RoleRow: StoreRow {
    static let databaseTableName = "roles"

    var name: String
    var description: String?
    var permissions: [String: [String]]
    var requireTwoFactor: Bool

    enum CodingKeys: String, CodingKey {
        case name, description, permissions
        case requireTwoFactor = "require_two_factor"
    }

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    var record: RoleRecord { RoleRecord(name: name, description: description, permissions: permissions, requireTwoFactor: requireTwoFactor) }
}
