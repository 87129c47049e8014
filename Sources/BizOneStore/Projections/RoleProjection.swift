import BizOneModel
import GRDB

/// Keeps `roles` equal to the applied Role resources.
enum RoleProjection {
    static func write(_ change: PlanChange, after: JSONValue, _ db: Database) throws {
        let spec: RoleSpec = try change.spec(in: after)
        // Saved in place even for a replace: the name is the same, and users holding the
        // role would otherwise block the delete.
        try RoleRow(name: change.id.name, description: spec.description, permissions: spec.permissions,
                    requireTwoFactor: spec.requireTwoFactor ?? false).save(db)
    }

    static func remove(_ name: String, _ db: Database) throws {
        let holders = try UserRoleRow
            .filter(UserRoleRow.Columns.roleName == name)
            .order(UserRoleRow.Columns.userName)
            .fetchAll(db)
            .map { "user/\($0.userName)" }
        if !holders.isEmpty {
            throw StoreError.conflict("role/\(name) is still held by \(holders.joined(separator: ", ")); remove it from those users first")
        }
        _ = try RoleRow.deleteOne(db, key: name)
    }
}
