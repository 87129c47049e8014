import BizOneModel
@testable import BizOnePlanner
import Foundation
import Testing

@Suite("Deletes, prune policies and refusals")
struct PruneTests {
    /// Four managed roles in state; `gone` is no longer declared (1 of 4 = 25%, allowed).
    func fourRolesOneGone() throws -> (DesiredState, ObservedState, AppliedResource) {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c")]
        let gone = Build.applied(try Build.role("gone"))
        return (DesiredState(resources: kept), .with(kept.map { Build.applied($0) } + [gone]), gone)
    }

    @Test func aRemovedManagedResourceIsOnlyACandidateWithoutPrune() throws {
        let (desired, observed, gone) = try fourRolesOneGone()
        let plan = Planner.plan(desired: desired, observed: observed)
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates == [gone.id])
        #expect(plan.diagnostics.isEmpty)
        #expect(!plan.hasChanges)
        #expect(plan.prune == false)
    }

    @Test func aRemovedManagedResourceIsDeletedWithPrune() throws {
        let (desired, observed, gone) = try fourRolesOneGone()
        let plan = Planner.plan(desired: desired, observed: observed, options: PlanOptions(prune: true))
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.prune)
        try #require(plan.changes.count == 1)
        let change = plan.changes[0]
        #expect(change.id == gone.id)
        #expect(change.action == .delete)
        #expect(change.before == gone.content)
        #expect(change.beforeHash == gone.contentHash)
        #expect(change.after == nil)
        #expect(change.afterHash == nil)
        #expect(change.reason == "removed from configuration; created by BizOne, so --prune deletes it")
        #expect(plan.counts == "add 0, change 0, destroy 1, pending 0")
    }

    @Test(arguments: [PlanOptions(), PlanOptions(prune: true), PlanOptions(prune: true, force: true),
                      PlanOptions(prune: true, confirmedDeletes: [ResourceID(kind: .role, name: "legacy")], force: true)])
    func anUnmanagedResourceIsNeverDeletedNorACandidate(_ options: PlanOptions) throws {
        let kept = try Build.role("a")
        let legacy = Build.applied(try Build.role("legacy"), managed: false)
        let plan = Planner.plan(desired: DesiredState(resources: [kept]), observed: .with([Build.applied(kept), legacy]), options: options)
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics.isEmpty)
    }

    @Test(arguments: [PlanOptions(), PlanOptions(prune: true), PlanOptions(prune: true, force: true),
                      PlanOptions(prune: true, confirmedDeletes: [ResourceID(kind: .role, name: "keeper")], force: true)])
    func pruneNeverIsNeverDeletedNorACandidate(_ options: PlanOptions) throws {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c")]
        let keeper = Build.appliedRole("keeper", prune: "never")
        #expect(keeper.content.value(at: "spec.lifecycle.prune") == .string("never"))
        let plan = Planner.plan(desired: DesiredState(resources: kept), observed: .with(kept.map { Build.applied($0) } + [keeper]), options: options)
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics.isEmpty)
    }

    @Test func pruneAllowAndAnUnknownPolicyAreDeletedLikeNoPolicy() throws {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c"), try Build.role("d"), try Build.role("e"), try Build.role("f")]
        let allow = Build.appliedRole("allowed", prune: "allow")
        let odd = Build.appliedRole("odd", prune: "sometimes")
        let plan = Planner.plan(desired: DesiredState(resources: kept),
                                observed: .with(kept.map { Build.applied($0) } + [allow, odd]), options: PlanOptions(prune: true))
        #expect(plan.lines == ["- role/odd", "- role/allowed"])
        #expect(plan.diagnostics.isEmpty)
    }

    @Test func pruneConfirmIsACandidateWithoutPrune() throws {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c")]
        let careful = Build.appliedRole("careful", prune: "confirm")
        let plan = Planner.plan(desired: DesiredState(resources: kept), observed: .with(kept.map { Build.applied($0) } + [careful]))
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates == [careful.id])
        #expect(plan.diagnostics.isEmpty)
    }

    @Test func pruneConfirmIsKeptWithAWarningWhenNotConfirmed() throws {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c")]
        let careful = Build.appliedRole("careful", prune: "confirm")
        let plan = Planner.plan(desired: DesiredState(resources: kept), observed: .with(kept.map { Build.applied($0) } + [careful]),
                                options: PlanOptions(prune: true, confirmedDeletes: [ResourceID(kind: .role, name: "other")]))
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics == [
            .warning("role/careful has prune: confirm; it is kept", at: nil, hint: "add --confirm-delete role/careful to delete it"),
        ])
    }

    @Test func pruneConfirmIsDeletedWhenConfirmed() throws {
        let kept = [try Build.role("a"), try Build.role("b"), try Build.role("c")]
        let careful = Build.appliedRole("careful", prune: "confirm")
        let observed = ObservedState.with(kept.map { Build.applied($0) } + [careful])
        let confirmed = PlanOptions(prune: true, confirmedDeletes: [careful.id])
        let plan = Planner.plan(desired: DesiredState(resources: kept), observed: observed, options: confirmed)
        #expect(plan.lines == ["- role/careful"])
        #expect(plan.changes.first?.before == careful.content)
        #expect(plan.diagnostics.isEmpty)

        // Confirmed but without --prune it stays a candidate.
        let withoutPrune = Planner.plan(desired: DesiredState(resources: kept), observed: observed,
                                        options: PlanOptions(confirmedDeletes: [careful.id]))
        #expect(withoutPrune.changes.isEmpty)
        #expect(withoutPrune.pruneCandidates == [careful.id])
    }

    @Test func candidatesAreSortedInApplyOrder() throws {
        let observed = ObservedState.with([
            Build.applied(try Build.campaign("x")), Build.applied(try Build.role("z")), Build.applied(try Build.user("y")),
            Build.applied(try Build.role("a")), Build.applied(try Build.template("order_update")),
        ])
        let plan = Planner.plan(desired: DesiredState(resources: []), observed: observed)
        // Templates are not local: they are never pruned here.
        #expect(plan.pruneCandidates.map(\.description) == ["role/a", "role/z", "user/y", "campaign/x"])
        #expect(plan.changes.isEmpty)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var managed: Int
        var deleted: Int
        var unmanaged: Int = 0
        var force: Bool = false
        /// nil when the plan is allowed.
        var error: String?
        var testDescription: String { "\(deleted) of \(managed) managed\(unmanaged > 0 ? " (+\(unmanaged) unmanaged)" : "")\(force ? ", forced" : "")" }
    }

    static let refusals: [Refusal] = [
        Refusal(managed: 4, deleted: 1, error: nil),
        Refusal(managed: 8, deleted: 2, error: nil),
        Refusal(managed: 5, deleted: 2, error: "refusing to delete 2 of 5 managed resources (more than 25%)"),
        Refusal(managed: 3, deleted: 2, error: "refusing to delete 2 of 3 managed resources (more than 25%)"),
        Refusal(managed: 7, deleted: 2, error: "refusing to delete 2 of 7 managed resources (more than 25%)"),
        Refusal(managed: 3, deleted: 3, error: "refusing to delete every managed resource (3)"),
        Refusal(managed: 1, deleted: 1, error: "refusing to delete every managed resource (1)"),
        Refusal(managed: 2, deleted: 2, unmanaged: 5, error: "refusing to delete every managed resource (2)"),
        Refusal(managed: 5, deleted: 2, force: true, error: nil),
        Refusal(managed: 3, deleted: 3, force: true, error: nil),
    ]

    @Test(arguments: refusals)
    func largeDeletesAreRefusedUnlessForced(_ refusal: Refusal) throws {
        let kept = try (0..<(refusal.managed - refusal.deleted)).map { try Build.role("kept-\($0)") }
        let gone = try (0..<refusal.deleted).map { Build.applied(try Build.role("gone-\($0)")) }
        let unmanaged = try (0..<refusal.unmanaged).map { Build.applied(try Build.role("legacy-\($0)"), managed: false) }
        let desired = DesiredState(resources: kept)
        let plan = Planner.plan(desired: desired, observed: .with(kept.map { Build.applied($0) } + gone + unmanaged),
                                options: PlanOptions(prune: true, force: refusal.force))

        // The deletes are planned either way; the error is what stops apply.
        #expect(plan.changes.count == refusal.deleted)
        #expect(plan.changes.allSatisfy { $0.action == .delete })
        if let message = refusal.error {
            #expect(plan.diagnostics.count == 1)
            let diagnostic = try #require(plan.diagnostics.first)
            #expect(diagnostic.severity == .error)
            #expect(diagnostic.message == message)
            #expect(diagnostic.hint?.contains("--force") == true)
            #expect(plan.diagnostics.hasErrors)
        } else {
            #expect(plan.diagnostics.isEmpty)
        }
    }

    @Test func withoutPruneNothingIsRefused() throws {
        let gone = try (0..<3).map { Build.applied(try Build.role("gone-\($0)")) }
        let plan = Planner.plan(desired: DesiredState(resources: []), observed: .with(gone))
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.changes.isEmpty)
        #expect(plan.pruneCandidates.count == 3)
    }
}
