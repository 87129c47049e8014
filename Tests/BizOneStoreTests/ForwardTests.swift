import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

@Suite("Forward queue")
struct ForwardTests {
    func enqueue(_ store: StateStore, event: Int64, route: String = "crm", at offset: TimeInterval = 0, maxAttempts: Int = 5,
                 backoff: Int = 1000) throws -> Bool {
        try store.enqueueForward(eventID: event, route: route, url: "https://crm.example.com/hook", secretRef: "env:CRM_SECRET",
                                 maxAttempts: maxAttempts, backoffMilliseconds: backoff, at: Fixture.t0.addingTimeInterval(offset))
    }

    @Test("enqueueing the same event for the same route twice queues it once")
    func idempotent() throws {
        try TemporaryStore.with { store in
            #expect(try enqueue(store, event: 1))
            #expect(try enqueue(store, event: 1, at: 60) == false)
            #expect(try enqueue(store, event: 1, route: "audit"))
            #expect(try enqueue(store, event: 2))
            let all = try store.forwardDeliveries(status: nil)
            #expect(all.map(\.eventID) == [1, 1, 2])
            #expect(all.map(\.route) == ["crm", "audit", "crm"])
            #expect(all[0].status == "pending")
            #expect(all[0].attempts == 0)
            #expect(all[0].secretRef == "env:CRM_SECRET")
            #expect(all[0].nextAttemptAt == Fixture.t0)
            #expect(all[0].createdAt == Fixture.t0)

            // Still idempotent once delivered.
            try store.recordForwardAttempt(id: all[0].id, at: Fixture.t0, httpStatus: 200, error: nil, delivered: true)
            #expect(try enqueue(store, event: 1) == false)
        }
    }

    @Test("due forwards are the pending ones whose time has come, soonest first")
    func dueOrdering() throws {
        try TemporaryStore.with { store in
            _ = try enqueue(store, event: 1, at: 2)
            _ = try enqueue(store, event: 2, at: 0)
            _ = try enqueue(store, event: 3, at: 1)
            _ = try enqueue(store, event: 4, at: 1)
            #expect(try store.dueForwards(now: Fixture.t0.addingTimeInterval(-1), limit: 10).isEmpty)
            #expect(try store.dueForwards(now: Fixture.t0.addingTimeInterval(1.5), limit: 10).map(\.eventID) == [2, 3, 4])
            #expect(try store.dueForwards(now: Fixture.t0.addingTimeInterval(1.5), limit: 2).map(\.eventID) == [2, 3])
            #expect(try store.dueForwards(now: Fixture.t0.addingTimeInterval(2), limit: 10).map(\.eventID) == [2, 3, 4, 1])
        }
    }

    @Test("each failure doubles the wait; the forward is dead after the last attempt")
    func backoffAndDead() throws {
        try TemporaryStore.with { store in
            _ = try enqueue(store, event: 1, maxAttempts: 4, backoff: 500)
            let id = try #require(try store.forwardDeliveries(status: nil).first?.id)
            var now = Fixture.t0
            var waits: [TimeInterval] = []
            for attempt in 1...3 {
                try store.recordForwardAttempt(id: id, at: now, httpStatus: 503, error: nil, delivered: false)
                let delivery = try #require(try store.forwardDeliveries(status: "pending").first)
                #expect(delivery.attempts == attempt)
                #expect(delivery.lastError == "HTTP 503")
                waits.append(delivery.nextAttemptAt.timeIntervalSince(now))
                #expect(try store.dueForwards(now: delivery.nextAttemptAt.addingTimeInterval(-0.001), limit: 10).isEmpty)
                #expect(try store.dueForwards(now: delivery.nextAttemptAt, limit: 10).map(\.id) == [id])
                now = delivery.nextAttemptAt
            }
            #expect(waits == [0.5, 1, 2])

            try store.recordForwardAttempt(id: id, at: now, httpStatus: nil, error: "connection refused", delivered: false)
            #expect(try store.forwardDeliveries(status: "pending").isEmpty)
            let dead = try #require(try store.forwardDeliveries(status: "dead").first)
            #expect(dead.attempts == 4)
            #expect(dead.lastError == "connection refused")
            #expect(dead.deliveredAt == nil)
            #expect(try store.dueForwards(now: Fixture.t2, limit: 10).isEmpty)
            let attempts = try store.forwardAttempts(deliveryID: id)
            #expect(attempts.map(\.httpStatus) == [503, 503, 503, nil])
            #expect(attempts.last?.error == "connection refused")
            #expect(attempts.first?.at == Fixture.t0)
        }
    }

    @Test("a delivered forward stops")
    func deliveredStops() throws {
        try TemporaryStore.with { store in
            _ = try enqueue(store, event: 1)
            let id = try #require(try store.forwardDeliveries(status: nil).first?.id)
            try store.recordForwardAttempt(id: id, at: Fixture.t0, httpStatus: 500, error: nil, delivered: false)
            let at = Fixture.t0.addingTimeInterval(1.25)
            try store.recordForwardAttempt(id: id, at: at, httpStatus: 204, error: nil, delivered: true)
            let delivered = try #require(try store.forwardDeliveries(status: "delivered").first)
            #expect(delivered.attempts == 2)
            #expect(delivered.deliveredAt == at)
            #expect(try store.dueForwards(now: Fixture.t2, limit: 10).isEmpty)

            // A stray late attempt is logged but changes nothing.
            try store.recordForwardAttempt(id: id, at: Fixture.t1, httpStatus: 500, error: nil, delivered: false)
            #expect(try store.forwardDeliveries(status: nil).map(\.status) == ["delivered"])
            #expect(try store.forwardDeliveries(status: nil).first?.attempts == 2)
            #expect(try store.forwardAttempts(deliveryID: id).count == 3)
            #expect(throws: StoreError.self) {
                try store.recordForwardAttempt(id: 999, at: Fixture.t1, httpStatus: 200, error: nil, delivered: true)
            }
        }
    }
}
