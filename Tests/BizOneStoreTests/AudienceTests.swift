import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("Audience imports and contacts")
struct AudienceTests {
    let id = Fixture.audienceID("vip")
    let content = Fixture.audience(description: "VIPs")

    func importAudience(_ contacts: [AudienceContact], into store: StateStore, action: PlanAction = .create,
                        at date: Date, audience: ResourceID? = nil) throws {
        let target = audience ?? id
        let runID = UUID().uuidString
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: nil, actor: "ci", startedAt: date, planSerial: 0))
        let change = action == .create
            ? Fixture.create(target, content)
            : Fixture.update(target, from: content, to: content)
        try store.applyChange(change, runID: runID, sequence: 1, at: date, revision: nil, audienceContacts: contacts)
    }

    @Test("an import sets the members and creates the contacts")
    func firstImport() throws {
        try TemporaryStore.with { store in
            try importAudience([
                AudienceContact(phone: "+6281100000001", name: "Ana", attributes: ["city": "Jakarta"], tags: ["vip", "b2c", "vip"]),
                AudienceContact(phone: "+6281100000002", optedOut: true),
                AudienceContact(phone: "+6281100000001", name: "Ana"),  // duplicate row in the CSV
            ], into: store, at: Fixture.t0)

            #expect(try store.audienceMembers("vip") == ["+6281100000001", "+6281100000002"])
            #expect(try store.audienceMemberCount("vip") == 2)
            #expect(try store.audienceMemberCount("vip", excludingOptedOut: true) == 1)
            #expect(try store.audienceMembers("vip", excludingOptedOut: true) == ["+6281100000001"])
            #expect(try store.audienceMembers("vip", limit: 1) == ["+6281100000001"])
            #expect(try store.contacts() == [
                ContactRecord(phone: "+6281100000001", name: "Ana", attributes: ["city": "Jakarta"], tags: ["b2c", "vip"],
                              optedOut: false, optedOutAt: nil, createdAt: Fixture.t0, updatedAt: Fixture.t0),
                ContactRecord(phone: "+6281100000002", name: nil, attributes: [:], tags: [],
                              optedOut: true, optedOutAt: Fixture.t0, createdAt: Fixture.t0, updatedAt: Fixture.t0),
            ])
            #expect(try store.contacts(limit: 1).map(\.phone) == ["+6281100000001"])
            #expect(try store.appliedResource(id)?.managed == true)
        }
    }

    @Test("a re-import replaces the members; opt-outs stay; contacts merge")
    func reimport() throws {
        try TemporaryStore.with { store in
            try importAudience([
                AudienceContact(phone: "+6281100000001", name: "Ana", attributes: ["city": "Jakarta"], tags: ["vip"]),
                AudienceContact(phone: "+6281100000002", name: "Budi", optedOut: true),
                AudienceContact(phone: "+6281100000003", name: "Citra"),
            ], into: store, at: Fixture.t0)
            try importAudience([
                AudienceContact(phone: "+6281100000001", attributes: ["plan": "gold"], tags: ["b2c"]),
                AudienceContact(phone: "+6281100000002", name: "Budi", optedOut: false),
                AudienceContact(phone: "+6281100000004", name: "Dewi", optedOut: true),
            ], into: store, action: .update, at: Fixture.t1)

            #expect(try store.audienceMembers("vip") == ["+6281100000001", "+6281100000002", "+6281100000004"])
            #expect(try store.audienceMemberCount("vip", excludingOptedOut: true) == 1)

            let ana = try #require(try store.contact(phone: "+6281100000001"))
            #expect(ana.name == "Ana")  // a missing name keeps the known one
            #expect(ana.attributes == ["city": "Jakarta", "plan": "gold"])
            #expect(ana.tags == ["b2c", "vip"])
            #expect(ana.createdAt == Fixture.t0)
            #expect(ana.updatedAt == Fixture.t1)

            let budi = try #require(try store.contact(phone: "+6281100000002"))
            #expect(budi.optedOut)  // sticky
            #expect(budi.optedOutAt == Fixture.t0)
            #expect(budi.updatedAt == Fixture.t0)  // nothing changed for Budi

            // Citra left the audience but stays a known contact.
            #expect(try store.contact(phone: "+6281100000003")?.name == "Citra")
            #expect(try store.contact(phone: "+6281100000004")?.optedOutAt == Fixture.t1)
        }
    }

    @Test("an update without contacts keeps the members")
    func updateWithoutContacts() throws {
        try TemporaryStore.with { store in
            try importAudience([AudienceContact(phone: "+6281100000001")], into: store, at: Fixture.t0)
            let changed = Fixture.audience(description: "Very important")
            try Fixture.apply([Fixture.update(id, from: content, to: changed)], to: store, at: Fixture.t1)
            #expect(try store.audienceMembers("vip") == ["+6281100000001"])
            #expect(try store.appliedResource(id)?.content == changed)
        }
    }

    @Test("deleting an audience removes its members, not the contacts or other audiences")
    func deleteAudience() throws {
        try TemporaryStore.with { store in
            try importAudience([AudienceContact(phone: "+6281100000001"), AudienceContact(phone: "+6281100000002")],
                               into: store, at: Fixture.t0)
            try importAudience([AudienceContact(phone: "+6281100000001")], into: store, at: Fixture.t0,
                               audience: Fixture.audienceID("all"))
            try Fixture.apply([Fixture.delete(id, content)], to: store, at: Fixture.t1)

            #expect(try store.audienceMemberCount("vip") == 0)
            #expect(try store.audienceMembers("all") == ["+6281100000001"])
            #expect(try store.contacts().count == 2)
            #expect(try store.appliedResource(id) == nil)
        }
    }
}
