import BizOneModel
@testable import BizOneStore
import Foundation
import GRDB
import Testing

/// A state file damaged by hand (SQLite is dynamically typed: an INTEGER column takes any text)
/// must be reported as unreadable, never crash the process reading it.
@Suite("Damaged rows")
struct CorruptRowTests {
    /// Writes through a `StateStore`, damages the file through a second, plain connection, then
    /// reads it back through a fresh `StateStore`.
    func damaged<T>(write: (StateStore) throws -> Void, sql: String, read: (StateStore) throws -> T) throws -> T {
        try TemporaryStore.withPath { path in
            try write(try StateStore(path: path))
            try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
            return try read(try StateStore(path: path))
        }
    }

    func enqueue(_ store: StateStore) throws {
        try store.enqueueForward(eventID: 1, route: "crm", url: "https://crm.example.com/hook", secretRef: "env:CRM_SECRET",
                                 maxAttempts: 3, backoffMilliseconds: 1000, at: Fixture.t0)
    }

    /// The detail of the `.corrupt` error `body` throws; nil (and a failed expectation) otherwise.
    func corruptDetail(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("the damaged row was read without an error")
        } catch StoreError.corrupt(let detail) {
            return detail
        } catch {
            Issue.record("expected StoreError.corrupt, got \(error)")
        }
        return nil
    }

    @Test("text in an INTEGER column of a forward is a corrupt-state error naming the table, row and column")
    func textInIntegerColumn() throws {
        let detail = try damaged(write: enqueue, sql: "UPDATE forward_deliveries SET attempts = 'many'") { store in
            corruptDetail { _ = try store.forwardDeliveries(status: nil) }
        }
        let text = try #require(detail)
        #expect(text.contains("forward_deliveries row id 1"), "\(text)")
        #expect(text.contains("\"attempts\""), "\(text)")
        #expect(!text.contains("SELECT"), "the SQL is left out: \(text)")
        #expect(StoreError.corrupt(text).description.hasPrefix("state file is unreadable: "))
    }

    @Test("text in an INTEGER column of the outbox is a corrupt-state error")
    func textInOutboxCount() throws {
        var runID: Int64 = 0
        let detail = try damaged(write: { store in
            runID = try store.createCampaignRun(campaign: "promo", trigger: .manual, scheduledFor: nil, at: Fixture.t0).run.id
            try store.queueOutbox(runID: runID, [OutboxRecipient(phone: "+6281100000001", name: "A", attributes: ["city": "Solo"])],
                                  at: Fixture.t0)
        }, sql: "UPDATE outbox SET attempts = 'x', error_code = 'none'") { store in
            corruptDetail { _ = try store.outboxEntry(runID: runID, phone: "+6281100000001") }
        }
        let text = try #require(detail)
        #expect(text.contains("outbox row run_id \(runID), phone +6281100000001"), "\(text)")
    }

    @Test("a forward whose attempt count is at Int.max goes dead instead of overflowing")
    func saturatedAttempts() throws {
        let delivery = try damaged(write: enqueue, sql: "UPDATE forward_deliveries SET attempts = 9223372036854775807") { store in
            let id = try #require(try store.forwardDeliveries(status: nil).first?.id)
            try store.recordForwardAttempt(id: id, at: Fixture.t1, httpStatus: 500, error: nil, delivered: false)
            return try store.forwardDeliveries(status: nil).first
        }
        #expect(delivery?.status == "dead")
        #expect(delivery?.attempts == Int.max)
        #expect(Forwards.delay(backoffMilliseconds: 1000, attempts: Int.min) == 1)
        #expect(Forwards.delay(backoffMilliseconds: 1000, attempts: Int.max) == 1000 * Double(1 << 30) / 1000)
    }

    @Test("a total that is no count (NaN, out of range, fractional) is refused, not converted")
    func totals() throws {
        #expect(try StagingCountsRow.count(3, "total") == 3)
        for bad in [Double.nan, .infinity, 1e300, 2.5] {
            #expect(throws: StoreError.self) { try StagingCountsRow.count(bad, "total") }
        }
    }
}
