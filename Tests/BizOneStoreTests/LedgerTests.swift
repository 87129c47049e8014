import BizOneModel
@testable import BizOneStore
import Foundation
import Testing
import TestSupport

@Suite("Message ledger")
struct LedgerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// (status, seconds after t0)
        var steps: [(String, TimeInterval)]
        var outcomes: [MessageStatusOutcome]
        var final: String
        var finalAt: TimeInterval
        /// Status -> late, one per distinct status.
        var transitions: [String: Bool]
        var errorCode: Int? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "in order", steps: [("sent", 0), ("delivered", 10), ("read", 20)],
             outcomes: [.advanced, .advanced, .advanced], final: "read", finalAt: 20,
             transitions: ["sent": false, "delivered": false, "read": false]),
        Case(name: "shuffled", steps: [("read", 20), ("sent", 0), ("delivered", 10)],
             outcomes: [.advanced, .stale, .stale], final: "read", finalAt: 20,
             transitions: ["read": false, "sent": true, "delivered": true]),
        Case(name: "duplicated", steps: [("sent", 0), ("sent", 0), ("delivered", 10), ("sent", 0), ("delivered", 10), ("read", 20), ("read", 20)],
             outcomes: [.advanced, .duplicate, .advanced, .duplicate, .duplicate, .advanced, .duplicate], final: "read", finalAt: 20,
             transitions: ["sent": false, "delivered": false, "read": false]),
        Case(name: "delivered skipped", steps: [("sent", 0), ("read", 20)],
             outcomes: [.advanced, .advanced], final: "read", finalAt: 20, transitions: ["sent": false, "read": false]),
        Case(name: "failed after delivered keeps delivered, records the error", steps: [("sent", 0), ("delivered", 10), ("failed", 30)],
             outcomes: [.advanced, .advanced, .advanced], final: "delivered", finalAt: 10,
             transitions: ["sent": false, "delivered": false, "failed": true], errorCode: 131049),
        Case(name: "failed then read moves on and keeps the error", steps: [("sent", 0), ("failed", 5), ("read", 20)],
             outcomes: [.advanced, .advanced, .advanced], final: "read", finalAt: 20,
             transitions: ["sent": false, "failed": false, "read": false], errorCode: 131049),
        Case(name: "sent after failed is late", steps: [("failed", 5), ("sent", 0)],
             outcomes: [.advanced, .stale], final: "failed", finalAt: 5, transitions: ["failed": false, "sent": true],
             errorCode: 131049),
        Case(name: "failed after sent", steps: [("sent", 0), ("failed", 5), ("failed", 5)],
             outcomes: [.advanced, .advanced, .duplicate], final: "failed", finalAt: 5, transitions: ["sent": false, "failed": false],
             errorCode: 131049),
        Case(name: "read after played is late", steps: [("delivered", 10), ("played", 40), ("read", 20)],
             outcomes: [.advanced, .advanced, .stale], final: "played", finalAt: 40,
             transitions: ["delivered": false, "played": false, "read": true]),
        Case(name: "an unknown status is kept but does not move the message", steps: [("sent", 0), ("deleted", 50)],
             outcomes: [.advanced, .stale], final: "sent", finalAt: 0, transitions: ["sent": false, "deleted": true]),
    ]

    /// One by one, and all in one batch (merged per message): the same outcomes and rows.
    @Test("status sequences", arguments: cases, [false, true])
    func sequences(_ test: Case, batched: Bool) throws {
        try TemporaryStore.with { store in
            var outcomes: [MessageStatusOutcome] = []
            let items = test.steps.enumerated().map { index, step in (EventFixture.status(step.0, at: step.1), Int64(index + 1)) }
            if batched {
                outcomes = try store.applyMessageStatuses(items)
            } else {
                for (event, eventID) in items { outcomes.append(try store.applyMessageStatus(event, eventID: eventID)) }
            }
            #expect(outcomes == test.outcomes)
            let message = try #require(try store.message(wamid: "wamid.A"))
            #expect(message.status == test.final)
            #expect(message.statusAt == Fixture.t0.addingTimeInterval(test.finalAt))
            #expect(message.errorCode == test.errorCode)
            #expect(message.errorTitle == (test.errorCode == nil ? nil : "not delivered"))
            let transitions = try store.messageTransitions(wamid: "wamid.A")
            #expect(transitions.count == test.transitions.count)
            #expect(Dictionary(transitions.map { ($0.status, $0.late) }, uniquingKeysWith: { _, _ in
                Issue.record("duplicate transition")
                return true
            }) == test.transitions)
            #expect(transitions.map(\.at) == transitions.map(\.at).sorted())
        }
    }

    @Test("every order of sent, delivered, read and failed ends read with the error recorded")
    func everyOrder() throws {
        let steps: [(String, TimeInterval)] = [("sent", 0), ("delivered", 10), ("read", 20), ("failed", 15)]
        func permutations<T>(_ items: [T]) -> [[T]] {
            guard items.count > 1 else { return [items] }
            return items.indices.flatMap { index -> [[T]] in
                var rest = items
                let head = rest.remove(at: index)
                return permutations(rest).map { [head] + $0 }
            }
        }
        try TemporaryStore.with { store in
            for (number, order) in permutations(steps).enumerated() {
                let wamid = "wamid.P\(number)"
                // Each status twice: the second is always a duplicate.
                for (status, offset) in order + order.reversed() {
                    _ = try store.applyMessageStatus(EventFixture.status(status, wamid, at: offset), eventID: 1)
                }
                let message = try #require(try store.message(wamid: wamid))
                #expect(message.status == "read", "order \(order.map(\.0))")
                #expect(message.statusAt == Fixture.t0.addingTimeInterval(20))
                #expect(message.errorCode == 131049)
                #expect(try store.messageTransitions(wamid: wamid).count == 4)
            }
            #expect(try store.messageStatusCounts() == ["read": 24])
        }
    }

    @Test("a status for an unknown wamid creates the row with what it carries")
    func unknownWamid() throws {
        try TemporaryStore.with { store in
            #expect(try store.message(wamid: "wamid.NEW") == nil)
            let event = MessageStatusEvent(wamid: "wamid.NEW", status: "delivered", at: Fixture.t1, recipientID: "",
                                           recipientUserID: "US.13491208655302741918", callbackData: "campaign:spring",
                                           pricingCategory: "marketing")
            #expect(try store.applyMessageStatus(event, eventID: 7) == .advanced)
            let message = try #require(try store.message(wamid: "wamid.NEW"))
            #expect(message.status == "delivered")
            #expect(message.statusRank == 2)
            #expect(message.statusAt == Fixture.t1)
            #expect(message.recipientID == nil)
            #expect(message.recipientUserID == "US.13491208655302741918")
            #expect(message.callbackData == "campaign:spring")
            #expect(message.pricingCategory == "marketing")
            #expect(message.errorCode == nil)
            #expect(try store.messageTransitions(wamid: "wamid.NEW") == [
                MessageTransition(status: "delivered", at: Fixture.t1, late: false, eventID: 7),
            ])

            // A late `sent` fills what was missing but does not move the status.
            let sent = MessageStatusEvent(wamid: "wamid.NEW", status: "sent", at: Fixture.t0, recipientID: "16505551234")
            #expect(try store.applyMessageStatus(sent, eventID: 8) == .stale)
            let after = try #require(try store.message(wamid: "wamid.NEW"))
            #expect(after.status == "delivered")
            #expect(after.recipientID == "16505551234")
            #expect(after.callbackData == "campaign:spring")
        }
    }

    @Test("the batch variant is one transaction and sees its own earlier items")
    func batch() throws {
        try TemporaryStore.with { store in
            let counter = try CommitCounter.attach(to: store)
            let outcomes = try store.applyMessageStatuses([
                (EventFixture.status("sent", "wamid.1"), 1),
                (EventFixture.status("sent", "wamid.1"), 1),
                (EventFixture.status("read", "wamid.1", at: 20), 2),
                (EventFixture.status("delivered", "wamid.1", at: 10), 3),
                (EventFixture.status("failed", "wamid.2", at: 5), 3),
            ])
            #expect(outcomes == [.advanced, .duplicate, .advanced, .stale, .advanced])
            #expect(counter.commits == 1)
            #expect(try store.messageStatusCounts() == ["read": 1, "failed": 1])
            #expect(try store.applyMessageStatuses([]) == [])
        }
    }

    @Test("processBatch writes statuses, inbound and the cursor together, or nothing")
    func processBatch() throws {
        struct Boom: Error {}
        try TemporaryStore.with { store in
            let ids = try store.appendWebhookEvents([EventFixture.webhook(EventFixture.envelope(1))])
            #expect(throws: Boom.self) {
                try store.processBatch { batch in
                    _ = try batch.applyMessageStatus(EventFixture.status("sent"), eventID: ids[0])
                    _ = try batch.recordInbound(EventFixture.inbound("wamid.IN"), eventID: ids[0])
                    try batch.markProcessed(upTo: ids[0], errors: [:], at: Fixture.t1)
                    throw Boom()
                }
            }
            #expect(try store.message(wamid: "wamid.A") == nil)
            #expect(try store.conversations(status: nil, limit: nil).isEmpty)
            #expect(try store.processingCursor() == 0)

            let counter = try CommitCounter.attach(to: store)
            let outcome = try store.processBatch { batch in
                _ = try batch.applyMessageStatus(EventFixture.status("sent"), eventID: ids[0])
                let inbound = try batch.recordInbound(EventFixture.inbound("wamid.IN"), eventID: ids[0])
                try batch.markProcessed(upTo: ids[0], errors: [:], at: Fixture.t1)
                return inbound
            }
            #expect(counter.commits == 1)
            #expect(outcome.isNew)
            #expect(try store.message(wamid: "wamid.A")?.status == "sent")
            #expect(try store.processingCursor() == ids[0])
        }
    }

    /// Many messages, statuses shuffled with duplicates, varying recipients, callback data and
    /// pricing: one batch (merged per message) leaves exactly the rows and outcomes that
    /// applying them one at a time leaves.
    @Test("a merged batch equals one status at a time", arguments: [1, 2, 3, 4, 5])
    func mergedBatchEqualsOneByOne(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let statuses = ["sent", "delivered", "read", "failed", "played", "deleted"]
        var items: [(MessageStatusEvent, Int64)] = []
        for index in 0..<400 {
            let wamid = "wamid.R\(random.next() % 40)"
            let status = statuses[Int(random.next() % UInt64(statuses.count))]
            var event = EventFixture.status(status, wamid, at: TimeInterval(random.next() % 100))
            event.recipientID = random.next() % 3 == 0 ? nil : "1650555\(random.next() % 10)"
            event.callbackData = random.next() % 4 == 0 ? "run:\(random.next() % 3)" : nil
            event.pricingCategory = random.next() % 3 == 0 ? ["marketing", "utility"][Int(random.next() % 2)] : nil
            items.append((event, Int64(index / 3 + 1)))
        }
        let wamids = Set(items.map(\.0.wamid)).sorted()
        func snapshot(_ store: StateStore) throws -> [String] {
            try wamids.map { wamid in
                let message = try #require(try store.message(wamid: wamid))
                let transitions = try store.messageTransitions(wamid: wamid).map { "\($0.status)@\($0.at.timeIntervalSince1970) late=\($0.late)" }
                let fields: [String?] = [message.status, message.statusAt.map { "\($0.timeIntervalSince1970)" }, message.recipientID,
                                         message.recipientUserID, message.callbackData, message.errorCode.map(String.init),
                                         message.errorTitle, message.errorDetails, message.pricingCategory]
                return fields.map { $0 ?? "-" }.joined(separator: " ") + " " + transitions.joined(separator: ",")
            }
        }
        let (oneByOne, single) = try TemporaryStore.with { store in
            (try items.map { try store.applyMessageStatus($0.0, eventID: $0.1) }, try snapshot(store))
        }
        let (batched, merged) = try TemporaryStore.with { store in
            // In chunks, like processing batches, so groups also span batch boundaries.
            var outcomes: [MessageStatusOutcome] = []
            for start in stride(from: 0, to: items.count, by: 97) {
                outcomes += try store.applyMessageStatuses(Array(items[start..<min(start + 97, items.count)]))
            }
            return (outcomes, try snapshot(store))
        }
        #expect(batched == oneByOne)
        #expect(merged == single)
        #expect(Set(oneByOne) == [.advanced, .duplicate, .stale])
    }
}
