import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

@Suite("Inbound messages, conversations, assignment and opt-outs")
struct InboxTests {
    @Test("a new message opens a conversation; the same wamid again counts once")
    func newAndDuplicate() throws {
        try TemporaryStore.with { store in
            let first = try store.recordInbound(EventFixture.inbound("wamid.1"), eventID: 1)
            #expect(first.isNew)
            #expect(first.contactKey == "wa:6281100000001")
            let again = try store.recordInbound(EventFixture.inbound("wamid.1"), eventID: 2)
            #expect(!again.isNew)
            #expect(again.conversationID == first.conversationID)
            #expect(again.contactKey == first.contactKey)
            var conversation = try #require(try store.conversation(id: first.conversationID))
            #expect(conversation.unread == 1)
            #expect(conversation.status == "open")
            #expect(conversation.name == "Ana")
            #expect(conversation.phone == "+6281100000001")
            #expect(conversation.phoneNumberID == "106540352242922")
            #expect(conversation.lastInboundAt == Fixture.t0)

            let second = try store.recordInbound(EventFixture.inbound("wamid.2", at: 60, text: "still there?"), eventID: 3)
            #expect(second.isNew)
            #expect(second.conversationID == first.conversationID)
            conversation = try #require(try store.conversation(id: first.conversationID))
            #expect(conversation.unread == 2)
            #expect(conversation.lastInboundAt == Fixture.t0.addingTimeInterval(60))
            #expect(conversation.lastMessageAt == Fixture.t0.addingTimeInterval(60))

            let messages = try store.inboundMessages(conversationID: first.conversationID)
            #expect(messages.map(\.wamid) == ["wamid.1", "wamid.2"])
            #expect(messages.map(\.text) == ["hello", "still there?"])
            #expect(messages[0].eventID == 1)
            #expect(messages[0].raw == #"{"id":"wamid.1","text":{"body":"hello"},"type":"text"}"#)
            #expect(try store.conversations(status: nil, limit: nil).count == 1)
        }
    }

    @Test("a sender known only by a BSUID gets a contact without a phone and no contacts row")
    func bsuidOnly() throws {
        try TemporaryStore.with { store in
            let outcome = try store.recordInbound(EventFixture.inbound("wamid.1", waID: "", userID: "US.13491208655302741918"), eventID: 1)
            #expect(outcome.contactKey == "user:US.13491208655302741918")
            let contact = try #require(try store.chatContact(key: outcome.contactKey))
            #expect(contact.waID == nil)
            #expect(contact.userID == "US.13491208655302741918")
            #expect(contact.phone == nil)
            #expect(contact.name == "Ana")
            #expect(try store.conversation(id: outcome.conversationID)?.phone == nil)
            #expect(try store.contacts().isEmpty)
        }
    }

    @Test("a later payload with both ids fills the phone into the BSUID contact")
    func mergeWaIDIntoBSUID() throws {
        try TemporaryStore.with { store in
            let bsuid = "user.9373795779eb6441c8adb2eaee5b848e7dd174ddd302d7db62142f4722d574b6"
            let first = try store.recordInbound(EventFixture.inbound("wamid.1", waID: "", userID: bsuid, name: nil), eventID: 1)
            let second = try store.recordInbound(EventFixture.inbound("wamid.2", waID: "6281100000009", userID: bsuid, name: "Citra", at: 30),
                                                 eventID: 2)
            #expect(second.contactKey == first.contactKey)
            #expect(second.conversationID == first.conversationID)
            let contact = try #require(try store.chatContact(key: "user:\(bsuid)"))
            #expect(contact.waID == "6281100000009")
            #expect(contact.phone == "+6281100000009")
            #expect(contact.name == "Citra")
            #expect(try store.chatContact(key: "wa:6281100000009") == nil)
            #expect(try store.contact(phone: "+6281100000009")?.name == "Citra")
            // Later, the phone alone finds the same contact.
            let third = try store.recordInbound(EventFixture.inbound("wamid.3", waID: "6281100000009", name: nil, at: 60), eventID: 3)
            #expect(third.contactKey == first.contactKey)
            #expect(try store.conversation(id: first.conversationID)?.unread == 3)
        }
    }

    @Test("a phone-keyed contact gains its BSUID and keeps its conversation")
    func mergeBSUIDIntoPhone() throws {
        try TemporaryStore.with { store in
            let first = try store.recordInbound(EventFixture.inbound("wamid.1"), eventID: 1)
            let second = try store.recordInbound(EventFixture.inbound("wamid.2", userID: "US.1", at: 10), eventID: 2)
            let third = try store.recordInbound(EventFixture.inbound("wamid.3", waID: "", userID: "US.1", at: 20), eventID: 3)
            #expect(Set([first.contactKey, second.contactKey, third.contactKey]) == ["wa:6281100000001"])
            #expect(Set([first.conversationID, second.conversationID, third.conversationID]).count == 1)
            #expect(try store.chatContact(key: "wa:6281100000001")?.userID == "US.1")
            #expect(try store.conversations(status: nil, limit: nil).count == 1)
        }
    }

    @Test("a closed conversation reopens on a new message, not on a redelivery")
    func reopen() throws {
        try TemporaryStore.with { store in
            let first = try store.recordInbound(EventFixture.inbound("wamid.1"), eventID: 1)
            try store.assignConversation(id: first.conversationID, user: "ana", team: "support")
            try store.markConversationRead(id: first.conversationID)
            try store.setConversationStatus(id: first.conversationID, status: .resolved, snoozedUntil: nil, at: Date())
            #expect(try store.conversations(status: "open", limit: nil).isEmpty)

            _ = try store.recordInbound(EventFixture.inbound("wamid.1"), eventID: 5)
            #expect(try store.conversation(id: first.conversationID)?.status == "resolved")

            let next = try store.recordInbound(EventFixture.inbound("wamid.2", at: 3600), eventID: 6)
            #expect(next.conversationID == first.conversationID)
            let conversation = try #require(try store.conversation(id: first.conversationID))
            #expect(conversation.status == "open")
            #expect(conversation.unread == 1)
            #expect(conversation.assignedUser == "ana")
            #expect(conversation.assignedTeam == "support")
            #expect(try store.conversations(status: "open", limit: nil).map(\.id) == [first.conversationID])
            #expect(try store.conversations(status: "resolved", limit: nil).isEmpty)
        }
    }

    @Test("conversations list newest first, by status, with a limit")
    func listing() throws {
        try TemporaryStore.with { store in
            let a = try store.recordInbound(EventFixture.inbound("wamid.a", waID: "6281100000001", at: 0), eventID: 1)
            let b = try store.recordInbound(EventFixture.inbound("wamid.b", waID: "6281100000002", at: 20), eventID: 2)
            let c = try store.recordInbound(EventFixture.inbound("wamid.c", waID: "6281100000003", at: 10), eventID: 3)
            try store.setConversationStatus(id: c.conversationID, status: .resolved, snoozedUntil: nil, at: Date())
            #expect(try store.conversations(status: nil, limit: nil).map(\.id) == [b.conversationID, c.conversationID, a.conversationID])
            #expect(try store.conversations(status: "open", limit: nil).map(\.id) == [b.conversationID, a.conversationID])
            #expect(try store.conversations(status: nil, limit: 1).map(\.id) == [b.conversationID])
            #expect(try store.conversation(id: 999) == nil)
            #expect(throws: StoreError.self) { try store.assignConversation(id: 999, user: "ana", team: nil) }
        }
    }

    @Test("the phone gets a contacts row; a known name and an opt-out are kept")
    func contactsRow() throws {
        try TemporaryStore.with { store in
            try store.optOut(phone: "+6281100000002", at: Fixture.t0)
            _ = try store.recordInbound(EventFixture.inbound("wamid.1", waID: "6281100000001", name: "Ana"), eventID: 1)
            _ = try store.recordInbound(EventFixture.inbound("wamid.2", waID: "6281100000002", name: "Budi"), eventID: 2)
            _ = try store.recordInbound(EventFixture.inbound("wamid.3", waID: "6281100000001", name: "Ana Maria", at: 5), eventID: 3)

            let ana = try #require(try store.contact(phone: "+6281100000001"))
            #expect(ana.name == "Ana")  // set once, when missing
            #expect(ana.optedOut == false)
            #expect(ana.attributes.isEmpty && ana.tags.isEmpty)
            let budi = try #require(try store.contact(phone: "+6281100000002"))
            #expect(budi.name == "Budi")
            #expect(budi.optedOut)
            // The chat contact follows the newest profile name.
            #expect(try store.chatContact(key: "wa:6281100000001")?.name == "Ana Maria")
        }
    }

    @Test("round robin cycles through the candidates, per team")
    func roundRobin() throws {
        try TemporaryStore.with { store in
            let candidates = ["ana", "bo", "cy"]
            var picks: [String?] = []
            for _ in 0..<4 { picks.append(try store.nextAssignee(team: "support", candidates: candidates, strategy: "roundRobin")) }
            #expect(picks == ["ana", "bo", "cy", "ana"])
            #expect(try store.nextAssignee(team: "sales", candidates: candidates, strategy: "roundRobin") == "ana")
            #expect(try store.nextAssignee(team: "support", candidates: candidates, strategy: "round_robin") == "bo")
            // The cursor's user left the team: start again from the first.
            #expect(try store.nextAssignee(team: "support", candidates: ["cy", "dee"], strategy: "roundRobin") == "cy")
            #expect(try store.nextAssignee(team: "support", candidates: ["cy", "dee"], strategy: "roundRobin") == "dee")
            #expect(try store.nextAssignee(team: "support", candidates: [], strategy: "roundRobin") == nil)
            #expect(throws: StoreError.self) { try store.nextAssignee(team: "support", candidates: candidates, strategy: "random") }
        }
    }

    @Test("least open picks the candidate with the fewest open conversations, ties by name")
    func leastOpen() throws {
        try TemporaryStore.with { store in
            func conversation(_ index: Int, to user: String, closed: Bool = false) throws {
                let outcome = try store.recordInbound(EventFixture.inbound("wamid.\(index)", waID: "62811000000\(10 + index)"),
                                                      eventID: Int64(index))
                try store.assignConversation(id: outcome.conversationID, user: user, team: "support")
                if closed { try store.setConversationStatus(id: outcome.conversationID, status: .resolved, snoozedUntil: nil, at: Date()) }
            }
            try conversation(1, to: "ana")
            try conversation(2, to: "ana")
            try conversation(3, to: "cy")
            try conversation(4, to: "bo")
            try conversation(5, to: "bo", closed: true)
            try conversation(6, to: "bo", closed: true)
            #expect(try store.nextAssignee(team: "support", candidates: ["cy", "ana", "bo"], strategy: "leastOpen") == "bo")
            try conversation(7, to: "bo")
            #expect(try store.nextAssignee(team: "support", candidates: ["ana", "bo", "cy"], strategy: "leastOpen") == "cy")
            #expect(try store.nextAssignee(team: "support", candidates: ["ana", "bo", "cy", "dee"], strategy: "least_open") == "dee")
        }
    }

    @Test("an opt-out is sticky and creates the contact")
    func optOut() throws {
        try TemporaryStore.with { store in
            #expect(try store.isOptedOut(phone: "+6281100000001") == false)
            try store.optOut(phone: "+6281100000001", at: Fixture.t0)
            #expect(try store.isOptedOut(phone: "+6281100000001"))
            try store.optOut(phone: "+6281100000001", at: Fixture.t2)
            #expect(try store.contact(phone: "+6281100000001")?.optedOutAt == Fixture.t0)

            // An inbound message and an audience import do not turn it back.
            _ = try store.recordInbound(EventFixture.inbound("wamid.1", waID: "6281100000001"), eventID: 1)
            let runID = UUID().uuidString
            try store.beginApplyRun(ApplyRunStart(id: runID, revision: nil, actor: "ci", startedAt: Fixture.t1, planSerial: 0))
            try store.applyChange(Fixture.create(Fixture.audienceID("vip"), Fixture.audience(description: "VIPs")), runID: runID,
                                  sequence: 1, at: Fixture.t1, revision: nil,
                                  audienceContacts: [AudienceContact(phone: "+6281100000001", name: "Ana", optedOut: false)])
            #expect(try store.isOptedOut(phone: "+6281100000001"))
            #expect(try store.isOptedOut(phone: "+6281100000002") == false)
        }
    }
}
