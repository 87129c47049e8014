import BizOneModel
import GRDB

/// Keeps `users` and `user_roles` equal to the applied User resources.
enum UserProjection {
    static func write(_ change: PlanChange, after: JSONValue, _ db: Database) throws {
        let spec: UserSpec = try change.spec(in: after)
        let name = change.id.name
        let missing = try spec.roles.filter { try !RoleRow.exists(db, key: $0) }
        if !missing.isEmpty {
            let roles = missing.map { "role/\($0)" }.joined(separator: ", ")
            throw StoreError.conflict("user/\(name) refers to \(roles), which is not in state; apply the role first")
        }
        if let other = try UserRow
            .filter(UserRow.Columns.email == spec.email && UserRow.Columns.name != name)
            .fetchOne(db) {
            throw StoreError.conflict("user/\(name): email \(spec.email) is already used by user/\(other.name)")
        }
        try UserRow(name: name, email: spec.email, displayName: spec.displayName, disabled: spec.disabled,
                    teams: spec.teams).save(db)
        try UserRoleRow.filter(UserRoleRow.Columns.userName == name).deleteAll(db)
        for role in Set(spec.roles) {
            try UserRoleRow(userName: name, roleName: role).insert(db)
        }
    }

    /// Deleting the user cascades to `user_roles`.
    static func remove(_ name: String, _ db: Database) throws {
        _ = try UserRow.deleteOne(db, key: name)
    }
}
