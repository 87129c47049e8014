import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("the state lock")
struct LockTests {
    @Test func applyFailsNamingTheHolderThenWaitsThenUnlockBreaksIt() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        #expect(try await workspace.run(["plan", "pipelines"]).status == 0)  // creates the state file
        let store = try StateStore(path: workspace.statePath)
        let holder = "held-by-another-apply-1234"
        _ = try store.acquireLock(LockRequest(id: holder, operation: "apply", who: "someone-else", pid: 999_999, host: "ci-runner"), timeout: 0)

        let blocked = try await workspace.run(["apply", "pipelines", "--auto-approve"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("state is locked by \(holder)"), "\(blocked.output)")
        #expect(blocked.stderr.contains("bizone state unlock \(holder)"))
        #expect(try store.observedState().resources.isEmpty, "nothing was written while locked")

        let waited = try await workspace.run(["apply", "pipelines", "--auto-approve", "--lock-timeout", "1s"])
        #expect(waited.status == 1)
        #expect(waited.stderr.contains("state is locked by \(holder)"))

        let wrong = try await workspace.run(["state", "unlock", "not-the-holder"])
        #expect(wrong.status == 1)
        let unlock = try await workspace.run(["state", "unlock", holder])
        #expect(unlock.status == 0, "\(unlock.output)")
        #expect(try store.currentLock() == nil)
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"]).status == 0)
    }

    /// Two real applies started together: one applies, the other fails naming the lock or finds
    /// nothing left to do; either way the state ends consistent and complete.
    @Test func twoConcurrentAppliesNeverCorruptTheState() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        #expect(try await workspace.run(["plan", "pipelines"]).status == 0)
        async let first = workspace.run(["apply", "pipelines", "--auto-approve", "--lock-timeout", "0s"])
        async let second = workspace.run(["apply", "pipelines", "--auto-approve", "--lock-timeout", "0s"])
        let results = try await [first, second]
        let succeeded = results.filter { $0.status == 0 }
        #expect(succeeded.count >= 1, "\(results.map(\.output))")
        for result in results where result.status != 0 {
            #expect(result.stderr.contains("state is locked by") || result.stderr.contains("saved plan is stale")
                    || result.stderr.contains("stale"), "\(result.output)")
        }
        let store = try StateStore(path: workspace.statePath)
        #expect(try store.observedState().resources.count == PlanApplyTests.localResourceCount)
        #expect(try store.currentLock() == nil)
        #expect(try await workspace.run(["plan", "pipelines", "--detailed-exitcode"]).status == 0)
        let applies = try store.applyRuns(limit: 10).filter { $0.outcome == "succeeded" }
        #expect(applies.count == succeeded.filter { $0.stdout.contains("Apply complete!") }.count)
    }
}
