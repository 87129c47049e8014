import BizOneModel
import BizOneStore
import Foundation
import Testing
import TestSupport

@Suite("The single-writer lock")
struct LockTests {
    let first = LockRequest(id: "11111111-1111-1111-1111-111111111111", operation: "apply", who: "ci@runner-1", pid: 4242, host: "runner-1")
    let second = LockRequest(id: "22222222-2222-2222-2222-222222222222", operation: "apply", who: "ana", pid: 99, host: "laptop")

    func holder(of error: (any Error)?) -> LockInfo? {
        guard case .locked(let info) = error as? StoreError else { return nil }
        return info
    }

    @Test("a second writer is refused with the holder's id, and how to unlock")
    func secondAcquireIsRefused() throws {
        try TemporaryStore.with { store in
            let held = try store.acquireLock(first, timeout: 0)
            #expect(held.id == first.id)
            #expect(held.who == "ci@runner-1")
            #expect(held.pid == 4242)
            #expect(try store.currentLock() == held)
            #expect(try store.info().lock == held)

            let error = #expect(throws: StoreError.self) { try store.acquireLock(second, timeout: 0) }
            #expect(holder(of: error) == held)
            let message = error?.description ?? ""
            #expect(message.contains("state is locked by \(first.id) (apply by ci@runner-1, pid 4242 on runner-1, since "))
            #expect(message.contains(Timestamps.format(held.createdAt)))
            #expect(message.contains("bizone state unlock \(first.id)"))

            // The holder acquiring again is a no-op.
            #expect(try store.acquireLock(first, timeout: 0) == held)
        }
    }

    @Test("with a timeout, acquire waits for the holder, then gives up")
    func timeoutWaitsThenThrows() throws {
        try TemporaryStore.with { store in
            try store.acquireLock(first, timeout: 0)
            // A manual clock: each poll's sleep moves it on by exactly what was asked.
            let clock = ManualClock()
            let sleeps = Locked<[TimeInterval]>()
            let error = #expect(throws: StoreError.self) {
                try store.acquireLock(second, timeout: 0.5, now: { clock.now }, sleep: { seconds in
                    sleeps.append(seconds)
                    clock.advance(by: seconds)
                })
            }
            #expect(sleeps.count == 3, "polled every 0.2 s: \(sleeps.all)")
            #expect(abs(sleeps.all.reduce(0, +) - 0.5) < 1e-6, "waited the whole timeout before giving up: \(sleeps.all)")
            #expect(holder(of: error)?.id == first.id)
        }
    }

    @Test("with a timeout, acquire takes the lock once the holder releases it")
    func timeoutWaitsForRelease() throws {
        try TemporaryStore.with { store in
            try store.acquireLock(first, timeout: 0)
            let clock = ManualClock()
            let polls = Locked(0)
            // The holder lets go during the second wait.
            let taken = try store.acquireLock(second, timeout: 10, now: { clock.now }, sleep: { seconds in
                clock.advance(by: seconds)
                if polls.withValue({ $0 += 1; return $0 }) == 2 { _ = try? store.releaseLock(id: "11111111-1111-1111-1111-111111111111") }
            })
            #expect(polls.current == 2)
            #expect(taken.id == second.id)
            #expect(try store.currentLock()?.id == second.id)
        }
    }

    @Test("release frees the lock, and only for its holder")
    func release() throws {
        try TemporaryStore.with { store in
            try store.acquireLock(first, timeout: 0)
            #expect(try store.releaseLock(id: second.id) == false)
            #expect(try store.currentLock()?.id == first.id)
            #expect(try store.releaseLock(id: first.id))
            #expect(try store.currentLock() == nil)
            #expect(try store.acquireLock(second, timeout: 0).id == second.id)
        }
    }

    @Test("force unlock needs the holder's id")
    func forceUnlock() throws {
        try TemporaryStore.with { store in
            #expect {
                try store.forceUnlock(id: first.id)
            } throws: { error in
                guard case .noLock = error as? StoreError else { return false }
                return true
            }

            try store.acquireLock(first, timeout: 0)
            let error = #expect(throws: StoreError.self) { try store.forceUnlock(id: second.id) }
            guard case .lockMismatch(let held) = error else {
                Issue.record("expected .lockMismatch, got \(String(describing: error))")
                return
            }
            #expect(held.id == first.id)
            #expect(try store.currentLock()?.id == first.id)

            try store.forceUnlock(id: first.id)
            #expect(try store.currentLock() == nil)
        }
    }

    @Test("two stores on one file (two processes) see each other's lock and writes")
    func twoStores() throws {
        try TemporaryStore.withPath { path in
            let one = try StateStore(path: path)
            let two = try StateStore(path: path)
            #expect(try one.info().lineage == (try two.info().lineage))

            try one.acquireLock(first, timeout: 0)
            #expect(try two.currentLock()?.id == first.id)
            let error = #expect(throws: StoreError.self) { try two.acquireLock(second, timeout: 0) }
            #expect(holder(of: error)?.id == first.id)

            let id = ResourceID(kind: .schedule, name: "weekly")
            let runID = try Fixture.apply([Fixture.create(id, Fixture.schedule(cron: "0 9 * * 1"))], to: one)
            try one.finishApplyRun(id: runID, at: Fixture.t1, outcome: "succeeded", changed: true)
            #expect(try two.observedState().resources[id]?.managed == true)
            #expect(try two.info().serial == 1)

            try one.releaseLock(id: first.id)
            #expect(try two.acquireLock(second, timeout: 0).id == second.id)
            #expect(try one.currentLock()?.id == second.id)
        }
    }
}
