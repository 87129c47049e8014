import BizOneModel
import Foundation
import GRDB

/// Read side of the projections, for `status`, the agent API and tests.
extension StateStore {
    public func roles() throws -> [RoleRecord] {
        try read { db in try RoleRow.order(RoleRow.Columns.name).fetchAll(db).map(\.record) }
    }

    /// Users by name, each with its roles from `user_roles`.
    public func users() throws -> [UserRecord] {
        try read { db in
            var roles: [String: [String]] = [:]
            for grant in try UserRoleRow.order(UserRoleRow.Columns.roleName).fetchAll(db) {
                roles[grant.userName, default: []].append(grant.roleName)
            }
            return try UserRow.order(UserRow.Columns.name).fetchAll(db).map { user in
                UserRecord(name: user.name, email: user.email, displayName: user.displayName, disabled: user.disabled,
                           teams: user.teams, roles: roles[user.name] ?? [])
            }
        }
    }

    /// Contacts by phone number; `limit` nil means all.
    public func contacts(limit: Int? = nil) throws -> [ContactRecord] {
        try read { db in
            var request = ContactRow.order(ContactRow.Columns.phone)
            if let limit { request = request.limit(max(0, limit)) }
            return try request.fetchAll(db).map(\.record)
        }
    }

    public func contact(phone: String) throws -> ContactRecord? {
        try read { db in try ContactRow.fetchOne(db, key: phone)?.record }
    }

    /// Members of an audience's last import; `excludingOptedOut` counts only who may be messaged.
    public func audienceMemberCount(_ audience: String, excludingOptedOut: Bool = false) throws -> Int {
        try read { db in try Self.members(of: audience, excludingOptedOut: excludingOptedOut).fetchCount(db) }
    }

    /// Phone numbers of an audience's members, sorted; `limit` nil means all.
    public func audienceMembers(_ audience: String, limit: Int? = nil, excludingOptedOut: Bool = false) throws -> [String] {
        try read { db in
            var request = Self.members(of: audience, excludingOptedOut: excludingOptedOut)
                .order(AudienceMemberRow.Columns.phone)
            if let limit { request = request.limit(max(0, limit)) }
            return try request.fetchAll(db).map(\.phone)
        }
    }

    private static func members(of audience: String, excludingOptedOut: Bool) -> QueryInterfaceRequest<AudienceMemberRow> {
        let request = AudienceMemberRow.filter(AudienceMemberRow.Columns.audience == audience)
        guard excludingOptedOut else { return request }
        return request.filter(sql: "phone IN (SELECT phone FROM contacts WHERE opted_out = 0)")
    }
}
