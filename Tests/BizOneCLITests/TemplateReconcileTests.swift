import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// Templates as code against the emulator over real HTTP (issue 4's acceptance).
@Suite("templates against Meta")
struct TemplateReconcileTests {
    /// An emulator with the ids `pipelines/integration.yaml` declares, fast review, and rules.
    static func emulator(rules: String = "", creationsPerHour: Int = 100) async throws -> RunningEmulator {
        var configuration = EmulatorConfiguration(port: 0, businessAccountID: "102290129340398", phoneNumberID: "106540352242922")
        configuration.timing.reviewDelay = 0.05
        configuration.rules = try EmulatorRules.parse(rules)
        configuration.limits.templateCreatesPerHour = creationsPerHour
        configuration.limits.templatesPerAccount = max(250, creationsPerHour)
        return try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
    }

    static func environment(_ emulator: RunningEmulator) -> [String: String] {
        ["BIZONE_GRAPH_URL": emulator.baseURL, "META_ACCESS_TOKEN": emulator.configuration.accessToken,
         "META_APP_SECRET": "x", "META_VERIFY_TOKEN": "y", "CRM_WEBHOOK_SECRET": "z"]
    }

    static func plan(_ workspace: Workspace, _ environment: [String: String], _ extra: [String] = []) async throws -> (Workspace.Result, Plan?) {
        let result = try await workspace.run(["plan", "pipelines", "--json"] + extra, environment: environment)
        return (result, try? Plan(document: Data(result.stdout.utf8)))
    }

    @Test func applyCreatesEachTemplateOnceAndWaitReportsMetasRejection() async throws {
        let emulator = try await Self.emulator(rules: """
            review:
              - name: "^back_in_stock$"
                language: id
                reason: TAG_CONTENT_MISMATCH
            """)
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = Self.environment(emulator)

        let apply = try await workspace.run(["apply", "pipelines", "--auto-approve", "--wait", "--timeout", "5m"], environment: environment)
        #expect(apply.status == 1, "a rejected template fails --wait\n\(apply.output)")
        #expect(apply.stdout.contains("Apply complete! Resources: 32 added"))
        #expect(apply.stderr.contains("template/back_in_stock@id REJECTED (TAG_CONTENT_MISMATCH)"), "\(apply.stderr)")
        let stats = await emulator.control.stats()
        #expect(stats.templatesCreated == 12)
        #expect(await emulator.control.templates().count == 12)

        let (second, plan) = try await Self.plan(workspace, environment, ["--detailed-exitcode"])
        #expect(second.status == 0, "\(second.output)")
        #expect(plan?.hasChanges == false)

        let sync = try await workspace.run(["sync"], environment: environment)
        #expect(sync.status == 0, "\(sync.output)")
        let status = try await workspace.run(["status", "--json"], environment: environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let resources = try #require(json["resources"] as? [[String: Any]])
        let rejected = try #require(resources.first { $0["id"] as? String == "template/back_in_stock@id" })
        #expect(rejected["status"] as? String == "REJECTED")
        #expect(rejected["reason"] as? String == "TAG_CONTENT_MISMATCH")
        #expect(rejected["health"] as? String == "Degraded")
        let approved = try #require(resources.first { $0["id"] as? String == "template/back_in_stock@en_US" })
        #expect(approved["health"] as? String == "Healthy")
    }

    @Test func anEditIsOneUpdateWithItsQuotaAndTheEleventhIsRefusedByThePlan() async throws {
        let emulator = try await Self.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = Self.environment(emulator)
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve", "--wait"], environment: environment).status == 0)

        try workspace.edit("pipelines/templates/back_in_stock.yaml", replacing: "Good news, {{1}}!", with: "Great news, {{1}}!")
        let (_, plan) = try await Self.plan(workspace, environment)
        let changes = try #require(plan).actionableChanges
        #expect(changes.count == 1)
        #expect(changes.first?.id == ResourceID(kind: .template, name: "back_in_stock", language: "en_US"))
        #expect(changes.first?.action == .update)
        #expect(changes.first?.reason.contains("edit re-enters review; uses 1 edit of 1 per 24 h and 1 of 10 in 30 days") == true,
                "\(changes.first?.reason ?? "")")

        // Ten approved edits in the last 30 days, none in the last 24 hours.
        let store = try StateStore(path: workspace.statePath)
        let id = ResourceID(kind: .template, name: "back_in_stock", language: "en_US")
        for day in 2...11 { try store.recordApprovedEdit(id, at: Date().addingTimeInterval(-Double(day) * 86_400)) }
        let refused = try await workspace.run(["plan", "pipelines"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Meta allows 10 edits of an approved template in 30 days and all are used"), "\(refused.stderr)")
        let edits = await emulator.control.requests().filter { $0.method == "POST" && !$0.path.hasSuffix("message_templates") && !$0.path.hasSuffix("messages") }
        #expect(edits.isEmpty, "Meta was never asked")
    }

    @Test func formatChangeReplacesRemovalDeletesOnlyWithPruneAndOutsideEditsAreDrift() async throws {
        // back_in_stock@id stays PENDING for a long time, so it can be replaced; the rest approve at once.
        let emulator = try await Self.emulator(rules: """
            review:
              - name: "^back_in_stock$"
                language: id
                delay: 600
            """)
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = Self.environment(emulator)
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment).status == 0)
        try await waitForApproval(emulator, except: ["back_in_stock"])

        // 1. A parameter format change plans a replace.
        let file = "pipelines/templates/back_in_stock.yaml"
        var text = try workspace.read(file)
        let secondDocument = try #require(text.range(of: "language: id"))
        text.replaceSubrange(secondDocument.lowerBound..<text.endIndex, with: String(text[secondDocument.lowerBound...])
            .replacingOccurrences(of: "parameterFormat: positional", with: "parameterFormat: named")
            .replacingOccurrences(of: "{{1}}", with: "{{name}}").replacingOccurrences(of: "{{2}}", with: "{{product}}")
            .replacingOccurrences(of: "{{3}}", with: "{{price}}").replacingOccurrences(of: "\"1\":", with: "name:")
            .replacingOccurrences(of: "\"2\":", with: "product:").replacingOccurrences(of: "\"3\":", with: "price:"))
        try workspace.write(file, text)
        let (_, formatPlan) = try await Self.plan(workspace, environment)
        let replace = try #require(formatPlan?.actionableChanges.first)
        #expect(formatPlan?.actionableChanges.count == 1)
        #expect(replace.action == .replace)
        #expect(replace.reason.contains("parameter format cannot change in place"), "\(replace.reason)")

        // 2. Removing a template: nothing without --prune, one delete (by id) with it.
        let orders = "pipelines/templates/order_confirmation.yaml"
        let orderText = try workspace.read(orders)
        let cut = try #require(orderText.range(of: "\n---\n"))
        try workspace.write(orders, String(orderText[..<cut.lowerBound]) + "\n")
        try workspace.write(file, try String(contentsOf: Workspace.packageRoot.appendingPathComponent(file), encoding: .utf8))
        let (_, keep) = try await Self.plan(workspace, environment)
        #expect(keep?.actionableChanges.isEmpty == true)
        #expect(keep?.pruneCandidates == [ResourceID(kind: .template, name: "order_confirmation", language: "id")])
        let (_, prune) = try await Self.plan(workspace, environment, ["--prune"])
        #expect(prune?.actionableChanges.map(\.action) == [.delete])
        #expect(prune?.actionableChanges.first?.inputs["templateID"] != nil)
        let deleted = try await workspace.run(["apply", "pipelines", "--auto-approve", "--prune"], environment: environment)
        #expect(deleted.status == 0, "\(deleted.output)")
        let remaining = await emulator.control.templates().filter { $0.name == "order_confirmation" }
        #expect(remaining.map(\.language) == ["en_US"], "only the id language was deleted")

        // 3. An edit made at Meta outside BizOne (as WhatsApp Manager would) shows as drift.
        let client = LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: "102290129340398", phoneNumberID: "106540352242922",
            accessToken: emulator.configuration.accessToken))
        let target = try #require(await emulator.control.templates().first { $0.name == "delivery_update" && $0.language == "en_US" })
        try await client.editTemplate(id: target.id, EditTemplateRequest(components: [
            TemplateComponent(type: "BODY", text: "Edited by hand, {{1}}: order {{2}} via {{3}} on {{4}}.",
                              example: ComponentExample(bodyText: [["Siti", "A-1", "JNE", "May 2"]]))]))
        let (driftResult, drift) = try await Self.plan(workspace, environment, ["--prune"])
        #expect(drift?.drift.map(\.id) == [ResourceID(kind: .template, name: "delivery_update", language: "en_US")], "\(driftResult.output)")
        #expect(drift?.drift.first?.description.contains("changed at Meta outside BizOne") == true)
        let text2 = try await workspace.run(["plan", "pipelines", "--prune"], environment: environment)
        #expect(text2.stdout.contains("Changed outside BizOne"))
    }

    /// The issue's crash test: SIGKILL apply at random points, re-run, and Meta ends with exactly
    /// the declared templates, each created once, and a final plan that is empty.
    @Test(.timeLimit(.minutes(8)))
    func killedAppliesConvergeWithoutDuplicates() async throws {
        let count = 300
        let emulator = try await Self.emulator(creationsPerHour: 100_000)
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        try workspace.write("many/integration.yaml",
                            try String(contentsOf: Workspace.packageRoot.appendingPathComponent("pipelines/integration.yaml"), encoding: .utf8))
        var text = ""
        for index in 0..<count {
            text += """
            ---
            apiVersion: bizone/v1
            kind: Template
            metadata: {name: crash_\(index)}
            spec:
              language: en_US
              category: UTILITY
              body: {text: "Order {{1}} is on its way. Thank you!", examples: {"1": "A-\(index)"}}

            """
        }
        try workspace.write("many/templates.yaml", text)
        var environment = Self.environment(emulator)
        environment["BIZONE_TEMPLATE_CREATES_PER_HOUR"] = "100000"
        // Each apply is killed after a (seeded) random number of further creations at Meta, so the
        // kills land mid-run, between a create and its record in state, however fast the machine.
        var random = SeededRandom(seed: 300)
        var kills = 0
        var exits: [String] = []
        for run in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Workspace.binary)
            process.arguments = ["apply", "many", "--auto-approve", "--state", workspace.statePath, "--no-color"]
            process.currentDirectoryURL = workspace.directory
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let log = workspace.path("run-\(run).log")
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = process.standardOutput
            let target = await emulator.control.stats().templatesCreated + Int.random(in: 1...25, using: &random)
            try process.run()
            await eventually("run \(run) to create templates or exit") {
                await emulator.control.stats().templatesCreated >= target || !process.isRunning
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            await process.exited()
            if process.terminationReason == .exit {
                exits.append("run \(run) exited \(process.terminationStatus): \((try? workspace.read("run-\(run).log"))?.suffix(300) ?? "")")
            }
        }
        let final = try await workspace.run(["apply", "many", "--auto-approve"], environment: environment)
        #expect(final.status == 0, "\(final.output)")
        let templates = await emulator.control.templates()
        #expect(templates.count == count)
        #expect(Set(templates.map(\.name)).count == count)
        #expect(await emulator.control.stats().templatesCreated == count, "no template was created twice")
        let plan = try await workspace.run(["plan", "many", "--detailed-exitcode"], environment: environment)
        #expect(plan.status == 0, "\(plan.output)")
        #expect(kills > 0, "at least one apply was killed mid-run; \(exits)")
    }

    private func waitForApproval(_ emulator: RunningEmulator, except names: Set<String>) async throws {
        await eventually("the templates' reviews") {
            await emulator.control.templates().allSatisfy { $0.status != "PENDING" || names.contains($0.name) }
        }
    }
}

@Suite("templates against Meta: plans, renames and limits")
struct TemplatePlanTests {
    @Test func aSavedPlanOnAFreshStateReachesMetaThroughTheIntegrationItCreates() async throws {
        let emulator = try await TemplateReconcileTests.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = TemplateReconcileTests.environment(emulator)
        #expect(try await workspace.run(["plan", "pipelines", "--out", "p.json"], environment: environment).status == 0)
        let apply = try await workspace.run(["apply", "p.json"], environment: environment)
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Resources: 32 added"))
        #expect(await emulator.control.templates().count == 12)
    }

    @Test func aRenameIsOneReplaceOfTheOldNameByTheNew() async throws {
        let emulator = try await TemplateReconcileTests.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = TemplateReconcileTests.environment(emulator)
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment).status == 0)

        let file = "pipelines/templates/back_in_stock.yaml"
        let renamed = try workspace.read(file).replacingOccurrences(
            of: "  name: back_in_stock\n", with: "  name: restock_alert\n  previousNames: [back_in_stock]\n")
        try workspace.write(file, renamed)
        let (_, plan) = try await TemplateReconcileTests.plan(workspace, environment, ["--prune"])
        let changes = try #require(plan).actionableChanges
        #expect(changes.map(\.action) == [.replace, .replace], "\(changes.map { "\($0.action) \($0.id)" })")
        #expect(Set(changes.map(\.id.name)) == ["restock_alert"])
        #expect(changes.allSatisfy { $0.reason.contains("renamed from back_in_stock") })
        #expect(plan?.pruneCandidates.isEmpty == true, "the old name is not an unexplained delete")

        let apply = try await workspace.run(["apply", "pipelines", "--auto-approve", "--prune"], environment: environment)
        #expect(apply.status == 0, "\(apply.output)")
        let names = Set(await emulator.control.templates().map(\.name))
        #expect(names.contains("restock_alert"))
        #expect(!names.contains("back_in_stock"))
        #expect(try await workspace.run(["plan", "pipelines", "--prune", "--detailed-exitcode"], environment: environment).status == 0)
    }

    @Test func creationsBeyondTheHourlyLimitAreDeferredAndFinishedByALaterRun() async throws {
        let emulator = try await TemplateReconcileTests.emulator()
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        var environment = TemplateReconcileTests.environment(emulator)
        environment["BIZONE_TEMPLATE_CREATES_PER_HOUR"] = "5"

        let plan = try await workspace.run(["plan", "pipelines"], environment: environment)
        #expect(plan.stderr.contains("12 templates to create, but Meta allows 5 per hour and 5 remain now"), "\(plan.stderr)")
        let first = try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("Deferred: 7 template creations over Meta's limit of 5 per hour; run apply again after"), "\(first.stdout)")
        #expect(await emulator.control.templates().count == 5)

        // An hour later, in effect: the rest go through.
        environment["BIZONE_TEMPLATE_CREATES_PER_HOUR"] = "100"
        let second = try await workspace.run(["apply", "pipelines", "--auto-approve"], environment: environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(await emulator.control.templates().count == 12)
        #expect(await emulator.control.stats().templatesCreated == 12)
    }
}
