import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("Role and user projections")
struct ProjectionTests {
    let admin = Fixture.role(description: "Everything", permissions: ["templates": ["*"], "users": ["read", "create"]])
    let agent = Fixture.role(permissions: ["conversations": ["read", "reply"]])

    func isConflict(_ error: any Error) -> Bool {
        guard case .conflict = error as? StoreError else { return false }
        return true
    }

    @Test("roles and users land in their tables, with user_roles")
    func createAndRead() throws {
        try TemporaryStore.with { store in
            try Fixture.apply([
                Fixture.create(Fixture.roleID("admin"), admin),
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana",
                                                                   roles: ["agent", "admin"], teams: ["support"])),
            ], to: store)

            #expect(try store.roles() == [
                RoleRecord(name: "admin", description: "Everything", permissions: ["templates": ["*"], "users": ["read", "create"]]),
                RoleRecord(name: "agent", description: nil, permissions: ["conversations": ["read", "reply"]]),
            ])
            #expect(try store.users() == [
                UserRecord(name: "ana", email: "ana@example.com", displayName: "Ana", disabled: false,
                           teams: ["support"], roles: ["admin", "agent"]),
            ])
        }
    }

    @Test("updating a user rewrites its fields and its roles")
    func updateUser() throws {
        try TemporaryStore.with { store in
            let v1 = Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["admin", "agent"])
            let v2 = Fixture.user(email: "ana@corp.example", displayName: "Ana P.", roles: ["agent"], teams: ["sales"], disabled: true)
            try Fixture.apply([
                Fixture.create(Fixture.roleID("admin"), admin),
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), v1),
            ], to: store)
            try Fixture.apply([Fixture.update(Fixture.userID("ana"), from: v1, to: v2)], to: store, at: Fixture.t1)

            #expect(try store.users() == [
                UserRecord(name: "ana", email: "ana@corp.example", displayName: "Ana P.", disabled: true,
                           teams: ["sales"], roles: ["agent"]),
            ])
            // admin is no longer held, so it can now be deleted.
            try Fixture.apply([Fixture.delete(Fixture.roleID("admin"), admin)], to: store, at: Fixture.t2)
            #expect(try store.roles().map(\.name) == ["agent"])
        }
    }

    @Test("deleting a user removes it and its roles; then its role can go")
    func deleteUserThenRole() throws {
        try TemporaryStore.with { store in
            let ana = Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["agent"])
            try Fixture.apply([
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), ana),
            ], to: store)
            try Fixture.apply([
                Fixture.delete(Fixture.userID("ana"), ana),
                Fixture.delete(Fixture.roleID("agent"), agent),
            ], to: store, at: Fixture.t1)

            #expect(try store.users().isEmpty)
            #expect(try store.roles().isEmpty)
            #expect(try store.appliedResources().isEmpty)
            // A new user with the same role starts with no leftover grants.
            try Fixture.apply([
                Fixture.create(Fixture.roleID("admin"), admin),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["admin"])),
            ], to: store, at: Fixture.t2)
            #expect(try store.users().first?.roles == ["admin"])
        }
    }

    @Test("a role still held by a user cannot be deleted, and nothing changes")
    func heldRoleIsKept() throws {
        try TemporaryStore.with { store in
            try Fixture.apply([
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["agent"])),
            ], to: store)
            let runID = try Fixture.apply([], to: store, at: Fixture.t1)
            let error = #expect(throws: StoreError.self) {
                try store.applyChange(Fixture.delete(Fixture.roleID("agent"), agent), runID: runID, sequence: 1,
                                      at: Fixture.t1, revision: nil)
            }
            #expect(error.map(isConflict) == true)
            #expect(error?.description.contains("user/ana") == true)
            #expect(try store.roles().map(\.name) == ["agent"])
            #expect(try store.appliedResource(Fixture.roleID("agent")) != nil)
            #expect(try store.changes(runID: runID).isEmpty)
        }
    }

    @Test("a user whose role is not in state is refused, naming the role")
    func missingRole() throws {
        try TemporaryStore.with { store in
            let runID = try Fixture.apply([], to: store)
            let error = #expect(throws: StoreError.self) {
                try store.applyChange(
                    Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["ghost"])),
                    runID: runID, sequence: 1, at: Fixture.t0, revision: nil)
            }
            #expect(error.map(isConflict) == true)
            #expect(error?.description.contains("role/ghost") == true)
            #expect(try store.users().isEmpty)
            #expect(try store.appliedResources().isEmpty)
        }
    }

    @Test("two users cannot share an email, whatever its case")
    func uniqueEmail() throws {
        try TemporaryStore.with { store in
            try Fixture.apply([
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["agent"])),
            ], to: store)
            let runID = try Fixture.apply([], to: store, at: Fixture.t1)
            let error = #expect(throws: StoreError.self) {
                try store.applyChange(
                    Fixture.create(Fixture.userID("bob"), Fixture.user(email: "ANA@example.com", displayName: "Bob", roles: ["agent"])),
                    runID: runID, sequence: 1, at: Fixture.t1, revision: nil)
            }
            #expect(error.map(isConflict) == true)
            #expect(try store.users().map(\.name) == ["ana"])
        }
    }

    @Test("replacing a held role keeps its grants")
    func replaceHeldRole() throws {
        try TemporaryStore.with { store in
            let wider = Fixture.role(permissions: ["conversations": ["read", "reply", "close"]])
            try Fixture.apply([
                Fixture.create(Fixture.roleID("agent"), agent),
                Fixture.create(Fixture.userID("ana"), Fixture.user(email: "ana@example.com", displayName: "Ana", roles: ["agent"])),
            ], to: store)
            try Fixture.apply([Fixture.replace(Fixture.roleID("agent"), from: agent, to: wider)], to: store, at: Fixture.t1)
            #expect(try store.roles().first?.permissions == ["conversations": ["read", "reply", "close"]])
            #expect(try store.users().first?.roles == ["agent"])
        }
    }

    @Test("a role whose spec does not decode is refused as an invalid change")
    func undecodableSpec() throws {
        try TemporaryStore.with { store in
            let runID = try Fixture.apply([], to: store)
            let bad: JSONValue = .object(["spec": .object(["permissions": .string("all")])])
            let error = #expect(throws: StoreError.self) {
                try store.applyChange(Fixture.create(Fixture.roleID("admin"), bad), runID: runID, sequence: 1,
                                      at: Fixture.t0, revision: nil)
            }
            guard case .invalidChange(let detail) = error else {
                Issue.record("expected .invalidChange, got \(String(describing: error))")
                return
            }
            #expect(detail.contains("role/admin"))
            #expect(try store.roles().isEmpty)
        }
    }
}
