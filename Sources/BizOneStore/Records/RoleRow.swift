import GRDB

/// A row of `roles`; `permissions` is stored as JSON with sorted keys.
struct RoleRow: StoreRow {
    static let databaseTableName = "roles"

    var name: String
    var description: String?
    var permissions: [String: [String]]

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    var record: RoleRecord { RoleRecord(name: name, description: description, permissions: permissions) }
}
