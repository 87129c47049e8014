import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("Applied resources and the inventory")
struct ResourceTests {
    let id = ResourceID(kind: .schedule, name: "weekly")

    @Test("a create is observed with its content and hash, managed, with provenance")
    func create() throws {
        try TemporaryStore.with { store in
            let content = Fixture.schedule(cron: "0 9 * * 1")
            let runID = try Fixture.apply([Fixture.create(id, content)], to: store, revision: "rev-1")

            let observed = try store.observedState()
            #expect(observed.lineage == (try store.info().lineage))
            #expect(observed.serial == 0)
            #expect(observed.resources.count == 1)
            let applied = try #require(observed.resources[id])
            #expect(applied.content == content)
            #expect(applied.contentHash == ContentHash.of(content))
            #expect(applied.managed)

            let record = try #require(try store.appliedResources().first)
            #expect(record.id == id)
            #expect(record.runID == runID)
            #expect(record.revision == "rev-1")
            #expect(record.appliedAt == Fixture.t0)
            #expect(record.createdAt == Fixture.t0)
            #expect(try store.appliedResource(id) == record)
            #expect(try store.appliedResource(ResourceID(kind: .schedule, name: "other")) == nil)
        }
    }

    @Test("an update replaces content and hash and keeps the original creation")
    func update() throws {
        try TemporaryStore.with { store in
            let v1 = Fixture.schedule(cron: "0 9 * * 1")
            let v2 = Fixture.schedule(cron: "30 10 * * 2")
            let firstRun = try Fixture.apply([Fixture.create(id, v1)], to: store, at: Fixture.t0, revision: "rev-1")
            let secondRun = try Fixture.apply([Fixture.update(id, from: v1, to: v2)], to: store, at: Fixture.t1, revision: "rev-2")

            let record = try #require(try store.appliedResource(id))
            #expect(record.content == v2)
            #expect(record.contentHash == ContentHash.of(v2))
            #expect(record.contentHash != ContentHash.of(v1))
            #expect(record.revision == "rev-2")
            #expect(record.runID == secondRun)
            #expect(record.appliedAt == Fixture.t1)
            #expect(record.managed)
            #expect(record.createdAt == Fixture.t0)
            #expect(firstRun != secondRun)
        }
    }

    @Test("a replace recreates the resource and its inventory entry")
    func replace() throws {
        try TemporaryStore.with { store in
            let v1 = Fixture.schedule(cron: "0 9 * * 1")
            let v2 = Fixture.schedule(cron: "0 8 * * *")
            try Fixture.apply([Fixture.create(id, v1)], to: store, at: Fixture.t0)
            try Fixture.apply([Fixture.replace(id, from: v1, to: v2)], to: store, at: Fixture.t1)
            let record = try #require(try store.appliedResource(id))
            #expect(record.content == v2)
            #expect(record.managed)
            #expect(record.createdAt == Fixture.t1)
        }
    }

    @Test("a delete removes the row and its inventory entry")
    func delete() throws {
        try TemporaryStore.with { store in
            let content = Fixture.schedule(cron: "0 9 * * 1")
            let keep = ResourceID(kind: .schedule, name: "daily")
            try Fixture.apply([Fixture.create(id, content), Fixture.create(keep, content)], to: store)
            try Fixture.apply([Fixture.delete(id, content)], to: store, at: Fixture.t1)

            let observed = try store.observedState()
            #expect(observed.resources[id] == nil)
            #expect(observed.resources[keep]?.managed == true)
            #expect(try store.appliedResources().map(\.id) == [keep])

            // Re-creating it proves the inventory row went too: its creation time is the new one.
            try Fixture.apply([Fixture.create(id, content)], to: store, at: Fixture.t2)
            #expect(try store.appliedResource(id)?.createdAt == Fixture.t2)
        }
    }

    @Test("an update of a resource BizOne did not create leaves it unmanaged")
    func updateDoesNotAdopt() throws {
        try TemporaryStore.with { store in
            let content = Fixture.schedule(cron: "0 9 * * 1")
            try Fixture.apply([Fixture.update(id, from: content, to: content)], to: store)
            let record = try #require(try store.appliedResource(id))
            #expect(!record.managed)
            #expect(record.createdAt == nil)
            #expect(try store.observedState().resources[id]?.managed == false)
        }
    }

    @Test("content keeps secret references as references")
    func secretReferences() throws {
        try TemporaryStore.with { store in
            let id = ResourceID(kind: .integration, name: "main")
            let content: JSONValue = .object(["spec": .object([
                "businessAccountId": .string("1234"),
                "accessToken": .object(["env": .string("META_ACCESS_TOKEN")]),
                "appSecret": .object(["file": .string("/run/secrets/app_secret")]),
            ])])
            try Fixture.apply([Fixture.create(id, content)], to: store)
            let stored = try #require(try store.appliedResource(id)).content
            #expect(stored["spec"]?["accessToken"] == .object(["env": .string("META_ACCESS_TOKEN")]))
            #expect(stored["spec"]?["appSecret"] == .object(["file": .string("/run/secrets/app_secret")]))
        }
    }

    @Test("pending changes and changes without content are refused and leave nothing behind")
    func invalidChanges() throws {
        try TemporaryStore.with { store in
            let runID = try Fixture.apply([], to: store)
            let pending = PlanChange(id: id, action: .pending, after: Fixture.schedule(cron: "0 9 * * 1"), reason: "waiting")
            let empty = PlanChange(id: id, action: .create, reason: "broken")
            for change in [pending, empty] {
                #expect {
                    try store.applyChange(change, runID: runID, sequence: 1, at: Fixture.t0, revision: nil)
                } throws: { error in
                    guard case .invalidChange = error as? StoreError else { return false }
                    return true
                }
            }
            #expect(try store.appliedResources().isEmpty)
            #expect(try store.changes(runID: runID).isEmpty)
        }
    }

    @Test("a change for a run that was never begun is refused")
    func unknownRun() throws {
        try TemporaryStore.with { (store) throws in
            #expect {
                try store.applyChange(Fixture.create(id, Fixture.schedule(cron: "0 9 * * 1")), runID: "nope",
                                      sequence: 1, at: Fixture.t0, revision: nil)
            } throws: { error in
                guard case .unknownRun("nope") = error as? StoreError else { return false }
                return true
            }
            #expect(try store.appliedResources().isEmpty)
        }
    }
}
