import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

@Suite("Webhook event log")
struct EventLogTests {
    @Test("a group is appended in one transaction and its ids come back in order")
    func groupAppend() throws {
        try TemporaryStore.with { store in
            let counter = try CommitCounter.attach(to: store)
            let received = Fixture.t0.addingTimeInterval(0.25)
            let group = (1...5).map { EventFixture.webhook(EventFixture.envelope($0), at: received) }
                + [EventFixture.webhook("not json", at: received, outcome: .rejected, reason: "invalid envelope")]
            let ids = try store.appendWebhookEvents(group)

            #expect(counter.commits == 1)
            #expect(counter.changes == 6)
            #expect(ids.count == 6)
            #expect(ids == ids.sorted() && Set(ids).count == 6)
            let stored = try store.webhookEvents(after: 0, limit: 100, onlyAccepted: false)
            #expect(stored.map(\.id) == ids)
            #expect(stored.map(\.body) == group.map(\.body))
            let first = try #require(try store.webhookEvent(id: ids[0]))
            #expect(first.receivedAt == received)
            #expect(first.path == "/api/webhooks/whatsapp")
            #expect(first.bodyHash == ContentHash.of(Data(EventFixture.envelope(1).utf8)))
            #expect(first.outcome == .accepted)
            #expect(first.deliveries == 1)
            #expect(first.processedAt == nil)
            #expect(try store.appendWebhookEvents([]) == [])
            #expect(try store.webhookEvent(id: 999) == nil)
        }
    }

    @Test("a body already stored is not stored again: same id, one more delivery")
    func duplicateBody() throws {
        try TemporaryStore.with { store in
            let first = try store.appendWebhookEvents([EventFixture.webhook(EventFixture.envelope(1))])
            let again = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(2)),
                EventFixture.webhook(EventFixture.envelope(1), at: Fixture.t1),
                EventFixture.webhook(EventFixture.envelope(2)),
            ])
            #expect(again[1] == first[0])
            #expect(again[2] == again[0])
            #expect(again[0] != first[0])
            let events = try store.webhookEvents(after: 0, limit: 10)
            #expect(events.map(\.id) == [first[0], again[0]])
            #expect(events.map(\.deliveries) == [2, 2])
            // The first receipt is kept.
            #expect(events[0].receivedAt == Fixture.t0)
        }
    }

    /// What the server hands the processor in memory must be in place before a reader can see
    /// the rows: the hook runs inside the transaction, where another connection's snapshot does
    /// not hold them yet; redeliveries of stored bytes are not rows of this transaction.
    @Test("beforeCommit sees the new rows' ids while no reader can see the rows")
    func beforeCommit() throws {
        try TemporaryStore.withPath { path in
            let store = try StateStore(path: path)
            // Another process's view of the file (its own connections).
            let reader = try StateStore(path: path)
            let first = try store.appendWebhookEvents([EventFixture.webhook(EventFixture.envelope(1))])
            var handed: [(index: Int, id: Int64)] = []
            var visibleInside: [Int64] = []
            let ids = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(2)),
                EventFixture.webhook(EventFixture.envelope(1)),
                EventFixture.webhook(EventFixture.envelope(3)),
                EventFixture.webhook(EventFixture.envelope(2)),
            ], beforeCommit: { inserted in
                handed = inserted
                visibleInside = (try? reader.webhookEvents(after: 0, limit: 10).map(\.id)) ?? [-1]
            })
            #expect(ids[1] == first[0], "a redelivery gets the stored id")
            #expect(handed.map(\.index) == [0, 2])
            #expect(handed.map(\.id) == [ids[0], ids[2]])
            #expect(visibleInside == first, "a reader inside the hook sees only what was committed before")
            #expect(try store.webhookEvents(after: 0, limit: 10).map(\.id) == [first[0], ids[0], ids[2]])
        }
    }

    @Test("rejected events are stored but never handed to processing")
    func rejectedEvents() throws {
        try TemporaryStore.with { store in
            let ids = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(1)),
                EventFixture.webhook("{\"object\":1}", outcome: .rejected, reason: "object is not whatsapp_business_account"),
                EventFixture.webhook(EventFixture.envelope(3)),
            ])
            #expect(try store.webhookEvents(after: 0, limit: 10).map(\.id) == [ids[0], ids[2]])
            #expect(try store.webhookEvents(after: 0, limit: 10, onlyAccepted: false).map(\.id) == ids)
            #expect(try store.webhookEvents(after: 0, limit: 1).map(\.id) == [ids[0]])
            let rejected = try #require(try store.webhookEvent(id: ids[1]))
            #expect(rejected.outcome == .rejected)
            #expect(rejected.rejectReason == "object is not whatsapp_business_account")
            #expect(try store.eventBacklog() == 2)
            let counts = try store.eventCounts()
            #expect(counts.accepted == 2 && counts.rejected == 1)
        }
    }

    @Test("listing for webhooks list|replay filters by time and ids, rejected included")
    func listing() throws {
        try TemporaryStore.with { store in
            let ids = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(1), at: Fixture.t0),
                EventFixture.webhook("bad", at: Fixture.t1, outcome: .rejected, reason: "invalid"),
                EventFixture.webhook(EventFixture.envelope(3), at: Fixture.t2),
            ])
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).map(\.id) == ids)
            #expect(try store.webhookEvents(since: Fixture.t1, ids: nil, limit: nil).map(\.id) == [ids[1], ids[2]])
            #expect(try store.webhookEvents(since: nil, ids: [ids[2], ids[0]], limit: nil).map(\.id) == [ids[0], ids[2]])
            #expect(try store.webhookEvents(since: Fixture.t1, ids: [ids[0], ids[1]], limit: nil).map(\.id) == [ids[1]])
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: 2).map(\.id) == [ids[0], ids[1]])
            #expect(try store.webhookEvents(since: nil, ids: [], limit: nil).isEmpty)
        }
    }

    @Test("the cursor, the backlog and markProcessed with errors")
    func cursorAndBacklog() throws {
        try TemporaryStore.with { store in
            #expect(try store.processingCursor() == 0)
            #expect(try store.eventBacklog() == 0)
            let ids = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(1)),
                EventFixture.webhook(EventFixture.envelope(2)),
                EventFixture.webhook("rejected", outcome: .rejected, reason: "invalid"),
                EventFixture.webhook(EventFixture.envelope(4)),
                EventFixture.webhook(EventFixture.envelope(5)),
            ])
            #expect(try store.eventBacklog() == 4)

            let at = Fixture.t1.addingTimeInterval(0.5)
            try store.markProcessed(upTo: ids[3], errors: [ids[1]: "unknown field shape", ids[4]: "beyond the cursor"], at: at)
            #expect(try store.processingCursor() == ids[3])
            #expect(try store.eventBacklog() == 1)
            #expect(try store.webhookEvents(after: store.processingCursor(), limit: 10).map(\.id) == [ids[4]])

            let events = try store.webhookEvents(since: nil, ids: nil, limit: nil)
            #expect(events.map(\.processedAt) == [at, at, nil, at, nil])
            #expect(events.map(\.processingError) == [nil, "unknown field shape", nil, nil, nil])
            let counts = try store.eventCounts()
            #expect(counts.accepted == 4)
            #expect(counts.rejected == 1)
            #expect(counts.processed == 3)
            #expect(counts.failed == 1)

            // Backwards changes nothing; what is stamped stays stamped.
            try store.markProcessed(upTo: ids[0], errors: [ids[0]: "late error"], at: Fixture.t2)
            #expect(try store.processingCursor() == ids[3])
            #expect(try store.webhookEvent(id: ids[0])?.processingError == nil)
            #expect(try store.webhookEvent(id: ids[0])?.processedAt == at)

            try store.markProcessed(upTo: ids[4], errors: [:], at: Fixture.t2)
            #expect(try store.eventBacklog() == 0)
            #expect(try store.eventCounts().processed == 4)
        }
    }

    @Test("an event's processing time is its second's last batch: never before the batch that processed it")
    func processingMarks() throws {
        try TemporaryStore.with { store in
            let ids = try store.appendWebhookEvents((1...4).map { EventFixture.webhook(EventFixture.envelope($0)) })
            let (early, late, next) = (Fixture.t1.addingTimeInterval(0.125), Fixture.t1.addingTimeInterval(0.75), Fixture.t1.addingTimeInterval(1.5))
            try store.markProcessed(upTo: ids[0], errors: [:], at: early)
            try store.markProcessed(upTo: ids[1], errors: [:], at: late)
            try store.markProcessed(upTo: ids[2], errors: [:], at: next)
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).map(\.processedAt) == [late, late, next, nil])
            #expect(try store.webhookEvent(id: ids[2])?.processedAt == next)
            #expect(try store.eventCounts().processed == 3)
        }
    }

    @Test("the time of the last webhook")
    func lastReceived() throws {
        try TemporaryStore.with { store in
            #expect(try store.lastWebhookReceivedAt() == nil)
            _ = try store.appendWebhookEvents([
                EventFixture.webhook(EventFixture.envelope(1), at: Fixture.t1.addingTimeInterval(0.125)),
                EventFixture.webhook(EventFixture.envelope(2), at: Fixture.t0),
            ])
            #expect(try store.lastWebhookReceivedAt() == Fixture.t1.addingTimeInterval(0.125))
        }
    }

    @Test("readiness: a writable file with every migration")
    func readiness() throws {
        try TemporaryStore.withPath { path in
            do {
                let old = try StateStore(path: path, migratingUpTo: "v2-templates")
                #expect(try old.migrationsCurrent() == false)
            }
            let store = try StateStore(path: path)
            #expect(try store.migrationsCurrent())
            try store.checkWritable()
            let first = try store.read { db in try String.fetchOne(db, sql: "SELECT value FROM state_meta WHERE key = 'heartbeat'") }
            #expect(first != nil)
            #expect(try store.info().serial == 0)
        }
    }

    @Test("milliseconds survive the round trip and keep text order")
    func storeTime() throws {
        let date = Date(timeIntervalSince1970: 1_750_000_000.007)
        #expect(Timestamps.formatMilliseconds(date) == "2025-06-15T15:06:40.007Z")
        #expect(Timestamps.parse(Timestamps.formatMilliseconds(date)) == Timestamps.truncatedToMilliseconds(date))
        #expect(Timestamps.parse("2025-06-15T15:06:40Z") == Date(timeIntervalSince1970: 1_750_000_000))
        #expect(Timestamps.parse("1969-12-31T23:59:59.500Z") == Date(timeIntervalSince1970: -0.5))
        #expect(Timestamps.formatMilliseconds(Date(timeIntervalSince1970: 0.999)) < Timestamps.formatMilliseconds(Date(timeIntervalSince1970: 1)))
        #expect(Timestamps.parse("not a date") == nil)
    }
}
