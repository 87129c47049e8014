import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("Apply runs, change outcomes and the serial")
struct ApplyRunTests {
    let id = ResourceID(kind: .schedule, name: "weekly")
    let content = Fixture.schedule(cron: "0 9 * * 1")

    @Test("the serial moves only when a run changed something")
    func serial() throws {
        try TemporaryStore.with { store in
            let first = try Fixture.apply([Fixture.create(id, content)], to: store, at: Fixture.t0)
            #expect(try store.finishApplyRun(id: first, at: Fixture.t1, outcome: "succeeded", changed: true) == 1)
            #expect(try store.info().serial == 1)
            #expect(try store.observedState().serial == 1)

            let noop = try Fixture.apply([], to: store, at: Fixture.t1, planSerial: 1)
            #expect(try store.finishApplyRun(id: noop, at: Fixture.t2, outcome: "succeeded", changed: false) == 1)
            #expect(try store.info().serial == 1)

            let second = try Fixture.apply([], to: store, at: Fixture.t2, planSerial: 1)
            #expect(try store.finishApplyRun(id: second, at: Fixture.t2, outcome: "partial", changed: true) == 2)
            #expect(try store.info().serial == 2)
        }
    }

    @Test("runs are listed newest first with their outcome and serials")
    func runs() throws {
        try TemporaryStore.with { store in
            let first = try Fixture.apply([Fixture.create(id, content)], to: store, at: Fixture.t0, revision: "r1")
            try store.finishApplyRun(id: first, at: Fixture.t1, outcome: "succeeded", changed: true)
            let second = try Fixture.apply([], to: store, at: Fixture.t2, revision: "r2", planSerial: 1)

            let runs = try store.applyRuns(limit: 10)
            #expect(runs.map(\.id) == [second, first])
            #expect(runs[0] == ApplyRunRecord(id: second, revision: "r2", actor: "ci", startedAt: Fixture.t2, finishedAt: nil,
                                              outcome: "running", planSerial: 1, resultSerial: nil))
            #expect(runs[1] == ApplyRunRecord(id: first, revision: "r1", actor: "ci", startedAt: Fixture.t0, finishedAt: Fixture.t1,
                                              outcome: "succeeded", planSerial: 0, resultSerial: 1))
            #expect(try store.applyRuns(limit: 1).map(\.id) == [second])
            #expect(try store.info().lastRun?.id == second)
            #expect(try store.applyRun(id: first)?.outcome == "succeeded")
        }
    }

    @Test("applied and failed changes are recorded in sequence")
    func changes() throws {
        try TemporaryStore.with { store in
            let other = ResourceID(kind: .schedule, name: "daily")
            let runID = try Fixture.apply([], to: store)
            try store.applyChange(Fixture.create(id, content), runID: runID, sequence: 1, at: Fixture.t0, revision: nil,
                                  message: "created")
            let failing = Fixture.create(other, content)
            try store.recordFailedChange(failing, runID: runID, sequence: 2, message: "boom")

            #expect(try store.changes(runID: runID) == [
                ApplyChangeRecord(runID: runID, sequence: 1, resourceID: "schedule/weekly", action: .create, outcome: "applied", message: "created"),
                ApplyChangeRecord(runID: runID, sequence: 2, resourceID: "schedule/daily", action: .create, outcome: "failed", message: "boom"),
            ])
            #expect(try store.appliedResource(other) == nil)
            #expect(try store.changes(runID: "other-run").isEmpty)
        }
    }

    @Test("finishing an unknown run is refused and leaves the serial")
    func finishUnknownRun() throws {
        try TemporaryStore.with { (store) throws in
            #expect {
                try store.finishApplyRun(id: "ghost", at: Fixture.t0, outcome: "succeeded", changed: true)
            } throws: { error in
                guard case .unknownRun("ghost") = error as? StoreError else { return false }
                return true
            }
            #expect(try store.info().serial == 0)
        }
    }
}
