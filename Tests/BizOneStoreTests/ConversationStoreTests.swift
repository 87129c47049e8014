import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

/// The inbox's store side: filters, cursor paging, counts, per-agent unread, snoozes, replies
/// through the ledger, notes and labels.
@Suite("Conversations for the team")
struct ConversationStoreTests {
    static let now = Fixture.t0 + 3600

    /// Three conversations: 1 (Ana, assigned to eka), 2 (Budi, unassigned), 3 (Citra, eka, resolved).
    static func three(_ store: StateStore) throws -> [Int64] {
        let a = try store.recordInbound(EventFixture.inbound("wamid.a", waID: "6281100000001", name: "Ana", at: 0, text: "Halo pesanan"), eventID: 1)
        let b = try store.recordInbound(EventFixture.inbound("wamid.b", waID: "6281100000002", name: "Budi", at: 10, text: "Diskon 50%?"), eventID: 2)
        let c = try store.recordInbound(EventFixture.inbound("wamid.c", waID: "6281100000003", name: "Citra", at: 20, text: "Terima kasih"), eventID: 3)
        try store.assignConversation(id: a.conversationID, user: "eka", team: "support")
        try store.assignConversation(id: c.conversationID, user: "eka", team: "support")
        try store.setConversationStatus(id: c.conversationID, status: .resolved, snoozedUntil: nil, at: now)
        return [a.conversationID, b.conversationID, c.conversationID]
    }

    @Test("filters combine; the list is newest first and pages by cursor")
    func filtersAndPaging() throws {
        try TemporaryStore.with { store in
            let ids = try Self.three(store)
            func list(_ query: ConversationQuery) throws -> [Int64] { try store.conversationPage(query, at: Self.now).items.map(\.id) }
            #expect(try list(ConversationQuery(viewer: "eka")) == ids.reversed())
            #expect(try list(ConversationQuery(viewer: "eka", assignee: .user("eka"))) == [ids[2], ids[0]])
            #expect(try list(ConversationQuery(viewer: "eka", assignee: .unassigned)) == [ids[1]])
            #expect(try list(ConversationQuery(viewer: "eka", status: .resolved)) == [ids[2]])
            #expect(try list(ConversationQuery(viewer: "eka", team: "support", status: .open)) == [ids[0]])
            // LIKE's wildcards match themselves.
            #expect(try list(ConversationQuery(viewer: "eka", search: "50%")) == [ids[1]])
            #expect(try list(ConversationQuery(viewer: "eka", search: "5_%")) == [])
            #expect(try list(ConversationQuery(viewer: "eka", search: "PESANAN")) == [ids[0]])

            var query = ConversationQuery(viewer: "eka", limit: 2)
            let first = try store.conversationPage(query, at: Self.now)
            #expect(first.items.map(\.id) == [ids[2], ids[1]])
            query.after = try #require(first.next.flatMap { ConversationCursor(token: $0.token) })
            let second = try store.conversationPage(query, at: Self.now)
            #expect(second.items.map(\.id) == [ids[0]] && second.next == nil)
            #expect(ConversationCursor(token: "not a cursor") == nil)
        }
    }

    @Test("unread is per agent; counts show the queues")
    func unreadAndCounts() throws {
        try TemporaryStore.with { store in
            let ids = try Self.three(store)
            try store.markConversation(id: ids[0], user: "eka", read: true)
            let forEka = try store.conversationPage(ConversationQuery(viewer: "eka", unreadOnly: true), at: Self.now).items.map(\.id)
            let forFajar = try store.conversationPage(ConversationQuery(viewer: "fajar", unreadOnly: true), at: Self.now).items.map(\.id)
            #expect(!forEka.contains(ids[0]) && forFajar.contains(ids[0]))
            _ = try store.recordInbound(EventFixture.inbound("wamid.a2", waID: "6281100000001", at: 30, text: "?"), eventID: 4)
            _ = try store.recordInbound(EventFixture.inbound("wamid.a3", waID: "6281100000001", at: 40, text: "??"), eventID: 5)
            let page = try store.conversationPage(ConversationQuery(viewer: "eka"), at: Self.now).items
            #expect(page.first { $0.id == ids[0] }?.unread == 2)
            try store.markConversation(id: ids[0], user: "eka", read: false)
            #expect(try store.conversationPage(ConversationQuery(viewer: "eka"), at: Self.now).items.first { $0.id == ids[0] }?.unread == 1)

            let counts = try store.conversationCounts(viewer: "eka", at: Self.now)
            #expect(counts.all == 3 && counts.mine == 1 && counts.unassigned == 1)
            #expect(counts.byStatus["open"] == 2 && counts.byStatus["resolved"] == 1 && counts.byStatus["pending"] == 0)
        }
    }

    @Test("a snooze runs out into open; a new message reopens a resolved conversation")
    func snoozeAndReopen() throws {
        try TemporaryStore.with { store in
            let ids = try Self.three(store)
            try store.setConversationStatus(id: ids[1], status: .snoozed, snoozedUntil: Self.now + 600, at: Self.now)
            #expect(try store.conversationPage(ConversationQuery(viewer: "eka", status: .snoozed), at: Self.now).items.map(\.id) == [ids[1]])
            #expect(try store.conversationPage(ConversationQuery(viewer: "eka", status: .open), at: Self.now + 601).items.map(\.id)
                    .contains(ids[1]))
            _ = try store.recordInbound(EventFixture.inbound("wamid.c2", waID: "6281100000003", at: 50, text: "satu lagi"), eventID: 6)
            #expect(try store.conversation(id: ids[2])?.status == "open")
        }
    }

    @Test("a reply is queued, claimed once, accepted into the ledger; the thread shows both ways and the notes")
    func replyThroughTheLedger() throws {
        try TemporaryStore.with { store in
            let ids = try Self.three(store)
            let reply = try store.queueReply(conversationID: ids[0], author: "eka", content: .text("Sudah dikirim"), at: Self.now)
            #expect(reply.state == .queued)
            let claimed = try store.claimReplies(limit: 10, at: Self.now)
            #expect(claimed.map(\.reply.id) == [reply.id] && claimed.first?.recipient == "6281100000001")
            #expect(try store.claimReplies(limit: 10, at: Self.now).isEmpty)
            try store.recordReplyAccepted(id: reply.id, wamid: "wamid.out-1", recipientID: "6281100000001", at: Self.now + 1)
            #expect(try store.message(wamid: "wamid.out-1")?.callbackData == "reply:\(reply.id)")
            let note = try store.addNote(conversationID: ids[0], author: "eka", body: "@fajar cek", mentions: ["fajar"], at: Self.now + 2)
            // The reply's delivery status moves its conversation (live streams see it).
            func updated(_ id: Int64) throws -> Date? {
                try store.conversationsChanged(since: .distantPast, viewer: "eka", limit: 500, at: Self.now).items.first { $0.id == id }?.updatedAt
            }
            let later = try #require(try updated(ids[0])) + 3600
            _ = try store.applyMessageStatus(MessageStatusEvent(wamid: "wamid.out-1", status: "delivered", at: Self.now + 5), eventID: 9, at: later)
            #expect(try updated(ids[0]) == later)
            #expect(try updated(ids[1]) != later)
            let thread = try #require(try store.conversationThread(id: ids[0], viewer: "eka", at: Self.now))
            #expect(thread.messages.map(\.direction) == [.inbound, .outbound])
            #expect(thread.messages.last?.status == "delivered" && thread.messages.last?.author == "eka")
            #expect(thread.notes == [note])
            #expect(thread.summary.preview == "Sudah dikirim")
            #expect(try store.updateLabels(conversationID: ids[0], add: ["vip", "b"], remove: []) == ["b", "vip"])
            #expect(try store.updateLabels(conversationID: ids[0], add: [], remove: ["b"]) == ["vip"])
            #expect(try store.conversationPage(ConversationQuery(viewer: "eka", label: "vip"), at: Self.now).items.map(\.id) == [ids[0]])
            #expect(throws: StoreError.self) { try store.queueReply(conversationID: 999, author: "eka", content: .text("x"), at: Self.now) }

            // A reply left mid-send by a stopped process is failed, never sent again.
            let second = try store.queueReply(conversationID: ids[1], author: "eka", content: .text("Ya"), at: Self.now)
            _ = try store.claimReplies(limit: 10, at: Self.now)
            #expect(try store.resolveInterruptedReplies(at: Self.now) == 1)
            #expect(try store.claimReplies(limit: 10, at: Self.now).isEmpty)
            _ = second
        }
    }
}
