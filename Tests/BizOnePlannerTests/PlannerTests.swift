import BizOneModel
@testable import BizOnePlanner
import Foundation
import Testing
import TestSupport

@Suite("Planning creates, updates and no-ops")
struct PlannerTests {
    let empty = ObservedState(lineage: "lineage-1", serial: 0, resources: [:])

    @Test func aFreshStateCreatesEveryLocalResourceAndLeavesTemplatesPending() throws {
        let desired = DesiredState(resources: try Build.everything())
        let plan = Planner.plan(desired: desired, observed: empty)

        #expect(plan.lines == [
            "+ role/admin", "+ user/ana", "+ integration/main",
            "? template/order_update@en_US", "? template/order_update@id",
            "+ audience/vip", "+ schedule/weekly", "+ webhookroute/inbox", "+ campaign/promo",
        ])
        #expect(plan.counts == "add 7, change 0, destroy 0, pending 2")
        #expect(plan.summary.total == 7)
        #expect(plan.hasChanges)
        #expect(plan.actionableChanges.count == 7)
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.stateLineage == "lineage-1")
        #expect(plan.stateSerial == 0)
        #expect(plan.prune == false)
        #expect(plan.formatVersion == BizOne.planFormatVersion)
    }

    @Test func aCreateCarriesContentHashLocationAndInputs() throws {
        let audience = try Build.audience("vip")
        let plan = Planner.plan(desired: DesiredState(resources: [audience]), observed: empty)
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.action == .create)
        #expect(change.before == nil)
        #expect(change.beforeHash == nil)
        #expect(change.after == audience.content)
        #expect(change.afterHash == audience.contentHash)
        #expect(change.location == audience.location)
        #expect(change.inputs == ["csv": "/srv/pipelines/vip.csv"])
        #expect(change.changedFields.isEmpty)
        #expect(change.reason == "declared in configuration, not in state")
    }

    @Test func templatesArePendingEvenWhenAlreadyInState() throws {
        let template = try Build.template("order_update")
        let plan = Planner.plan(desired: DesiredState(resources: [template]), observed: Build.observed([template]))
        #expect(plan.lines == ["? template/order_update@en_US"])
        let change = try #require(plan.changes.first)
        #expect(change.isActionable == false)
        #expect(change.after == template.content)
        #expect(change.afterHash == template.contentHash)
        #expect(change.reason.hasPrefix("pending: needs Meta"))
        #expect(!plan.hasChanges)
        #expect(plan.counts == "add 0, change 0, destroy 0, pending 1")
    }

    @Test func anIdenticalStateHasNoActionableChanges() throws {
        let resources = try Build.everything()
        let plan = Planner.plan(desired: DesiredState(resources: resources), observed: Build.observed(resources),
                                options: PlanOptions(prune: true))
        #expect(!plan.hasChanges)
        #expect(plan.actionableChanges.isEmpty)
        #expect(plan.lines == ["? template/order_update@en_US", "? template/order_update@id"])
        #expect(plan.counts == "add 0, change 0, destroy 0, pending 2")
        #expect(plan.pruneCandidates.isEmpty)
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.stateSerial == 7)
    }

    struct Edit: Sendable, CustomTestStringConvertible {
        var name: String
        var before: @Sendable () throws -> Resource
        var after: @Sendable () throws -> Resource
        var fields: [String]
        var testDescription: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "role description", before: { try Build.role("admin") }, after: { try Build.role("admin", description: "Changed.") },
             fields: ["spec.description"]),
        Edit(name: "role permissions (a list compared whole)", before: { try Build.role("admin") },
             after: { try Build.role("admin", templates: ["read", "create"]) }, fields: ["spec.permissions.templates"]),
        Edit(name: "user disabled", before: { try Build.user("ana") }, after: { try Build.user("ana", disabled: true) },
             fields: ["spec.disabled"]),
        Edit(name: "user label added", before: { try Build.user("ana") }, after: { try Build.user("ana", labels: ["team": "ops"]) },
             fields: ["metadata"]),
        Edit(name: "user label changed", before: { try Build.user("ana", labels: ["team": "ops"]) },
             after: { try Build.user("ana", labels: ["team": "sales"]) }, fields: ["metadata.labels.team"]),
        Edit(name: "schedule cron", before: { try Build.schedule("weekly") }, after: { try Build.schedule("weekly", cron: "0 10 * * 1") },
             fields: ["spec.cron"]),
        Edit(name: "campaign stop condition", before: { try Build.campaign("promo") }, after: { try Build.campaign("promo", maxFailureRate: 0.5) },
             fields: ["spec.stopConditions.maxFailureRate"]),
        Edit(name: "audience contacts", before: { try Build.audience("vip") }, after: { try Build.audience("vip", phone: "+6285712345678") },
             fields: ["spec.contacts"]),
    ]

    @Test(arguments: edits)
    func oneChangedFieldIsOneUpdateWithThatPath(_ edit: Edit) throws {
        let before = try edit.before()
        let after = try edit.after()
        let others = [try Build.role("other"), try Build.schedule("daily", cron: "0 8 * * *")]
        let plan = Planner.plan(desired: DesiredState(resources: others + [after]), observed: Build.observed(others + [before]))

        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.id == after.id)
        #expect(change.action == .update)
        #expect(change.changedFields == edit.fields)
        #expect(change.before == before.content)
        #expect(change.after == after.content)
        #expect(change.beforeHash == before.contentHash)
        #expect(change.afterHash == after.contentHash)
        #expect(change.reason == "changed in configuration: \(edit.fields.joined(separator: ", "))")
        #expect(change.location == after.location)
        #expect(plan.counts == "add 0, change 1, destroy 0, pending 0")
    }

    @Test func anUpdateKeepsTheAudienceInputs() throws {
        let before = try Build.audience("vip")
        let after = try Build.audience("vip", phone: "+6285712345678")
        let plan = Planner.plan(desired: DesiredState(resources: [after]), observed: Build.observed([before]))
        #expect(plan.changes.first?.inputs == ["csv": "/srv/pipelines/vip.csv"])
    }

    @Test func aHashMismatchWithEqualContentIsStillAnUpdate() throws {
        let role = try Build.role("admin")
        var stale = Build.applied(role)
        stale.contentHash = "sha256:old"
        let plan = Planner.plan(desired: DesiredState(resources: [role]), observed: .with([stale]))
        #expect(plan.lines == ["~ role/admin"])
        #expect(plan.changes.first?.changedFields == [])
        #expect(plan.changes.first?.reason == "content changed")
    }

    @Test func creationOrderFollowsKindsThenNames() throws {
        let desired = DesiredState(resources: [
            try Build.campaign("b-campaign"), try Build.campaign("a-campaign"),
            try Build.user("zed"), try Build.user("amy"),
            try Build.role("viewer"), try Build.role("admin"),
        ])
        let plan = Planner.plan(desired: desired, observed: empty)
        #expect(plan.lines == [
            "+ role/admin", "+ role/viewer", "+ user/amy", "+ user/zed", "+ campaign/a-campaign", "+ campaign/b-campaign",
        ])
    }

    @Test func deletesComeAfterCreatesAndUpdatesInReverseKindOrder() throws {
        let kept = try Build.schedule("weekly")
        let orphans = [try Build.role("old-role"), try Build.user("old-user"), try Build.audience("old-audience"),
                       try Build.campaign("old-campaign"), try Build.campaign("older-campaign")]
        let desired = DesiredState(resources: [
            try Build.campaign("new-campaign"), try Build.user("new-user"), try Build.role("new-role"),
            try Build.schedule("weekly", cron: "0 10 * * 1"),
        ])
        let plan = Planner.plan(desired: desired, observed: Build.observed([kept] + orphans), options: PlanOptions(prune: true, force: true))
        #expect(plan.lines == [
            "+ role/new-role", "+ user/new-user", "~ schedule/weekly", "+ campaign/new-campaign",
            "- campaign/older-campaign", "- campaign/old-campaign", "- audience/old-audience", "- user/old-user", "- role/old-role",
        ])
        #expect(plan.counts == "add 3, change 1, destroy 5, pending 0")
        #expect(plan.diagnostics.isEmpty)
    }

    @Test func planningIsDeterministic() throws {
        let resources = try Build.everything()
        let observed = Build.observed([try Build.role("gone"), try Build.user("gone"), try Build.route("gone")] + resources)
        var random = SeededRandom(seed: 11)
        let first = Planner.plan(desired: DesiredState(resources: resources.shuffled(using: &random)), observed: observed,
                                 options: PlanOptions(prune: true, force: true))
        let second = Planner.plan(desired: DesiredState(resources: resources.reversed()), observed: observed, options: PlanOptions(prune: true, force: true))
        #expect(first == second)
    }

    @Test func aPlanSurvivesAJSONRoundTrip() throws {
        let role = try Build.role("admin")
        let desired = DesiredState(resources: [
            try Build.role("admin", description: "Changed."), try Build.user("ana"), try Build.template("order_update"),
            try Build.audience("vip"), try Build.campaign("promo", maxFailureRate: 0.35),
        ])
        let observed = ObservedState.with([
            Build.applied(role), Build.applied(try Build.user("gone")), Build.appliedRole("careful", prune: "confirm"),
            Build.applied(try Build.schedule("a")), Build.applied(try Build.schedule("b")), Build.applied(try Build.schedule("c")),
        ], serial: 42)
        let plan = Planner.plan(desired: desired, observed: observed, options: PlanOptions(prune: true))
        // Every part of a plan is present: each action, a prune warning, a refusal and locations.
        #expect(Set(plan.changes.map(\.action)) == [.create, .update, .delete, .pending])
        #expect(plan.diagnostics.count == 2)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(plan)
        let decoded = try JSONDecoder().decode(Plan.self, from: data)
        #expect(decoded == plan)
        #expect(try encoder.encode(decoded) == data)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"id\":\"template\\/order_update@en_US\"") || text.contains("\"id\":\"template/order_update@en_US\""))
        #expect(text.contains("\"stateSerial\":42"))

        // A saved plan document carries campaign forecasts, their run times in ISO 8601.
        var forecast = plan
        forecast.campaigns = [CampaignForecast(campaign: "promo", template: "promo@en_US", audience: "vip", finalAudience: 4_450,
                                               schedule: "weekly", timeZone: "Asia/Jakarta",
                                               nextRuns: [Date(timeIntervalSince1970: 1_800_000_000)], rate: 200, estimatedSeconds: 22.25)]
        let document = try forecast.document()
        #expect(String(decoding: document, as: UTF8.self).contains("\"2027-01-15T08:00:00Z\""))
        #expect(try Plan(document: document) == forecast)
    }
}
