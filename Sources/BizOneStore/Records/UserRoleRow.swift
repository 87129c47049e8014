import GRDB

/// A row of `user_roles`: one role granted to one user.
struct UserRoleRow: StoreRow {
    static let databaseTableName = "user_roles"

    var userName: String
    var roleName: String

    enum CodingKeys: String, CodingKey {
        case userName = "user_name"
        case roleName = "role_name"
    }

    enum Columns {
        static let userName = Column(CodingKeys.userName)
        static let roleName = Column(CodingKeys.roleName)
    }
}
