import BizOneModel
import Foundation
import Logging
import MetaEmulator
import Testing

@Suite("bizone plan and apply")
struct PlanApplyTests {
    static let localResourceCount = 20

    func planDocument(_ workspace: Workspace, _ extra: [String] = []) async throws -> Plan {
        let result = try await workspace.run(["plan", "pipelines", "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try Plan(document: Data(result.stdout.utf8))
    }

    @Test func freshStateCreatesEverythingThenPlansNothingThenOneUpdate() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")

        let first = try await workspace.run(["plan", "pipelines", "--detailed-exitcode"])
        #expect(first.status == 2, "\(first.output)")
        #expect(first.stdout.contains("Plan: \(Self.localResourceCount) to add, 0 to change, 0 to destroy."))
        let plan = try await planDocument(workspace)
        let creates = plan.changes.filter { $0.action == .create }
        #expect(creates.count == Self.localResourceCount)
        #expect(creates.allSatisfy { $0.id.kind.isLocal })
        #expect(plan.changes.filter { $0.action == .pending }.count == 12)
        for change in creates {
            #expect(first.stdout.contains("  + \(change.id)\n"), "plan text lacks \(change.id)")
        }

        let apply = try await workspace.run(["apply", "pipelines", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Apply complete! Resources: \(Self.localResourceCount) added, 0 changed, 0 destroyed."))

        let second = try await workspace.run(["plan", "pipelines", "--detailed-exitcode"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("No changes."))

        try workspace.edit("pipelines/roles.yaml", replacing: "    templates: [read]\n", with: "    templates: [read]\n    webhooks: [read]\n")
        let third = try await workspace.run(["plan", "pipelines", "--detailed-exitcode"])
        #expect(third.status == 2)
        #expect(third.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."))
        let update = try await planDocument(workspace).actionableChanges
        #expect(update.count == 1)
        #expect(update.first?.id == ResourceID(kind: .role, name: "agent"))
        #expect(update.first?.action == .update)
        #expect(update.first?.changedFields == ["spec.permissions.webhooks"])
        #expect(third.stdout.contains("~ spec.permissions.webhooks = null -> [\"read\"]") || third.stdout.contains("+ spec.permissions.webhooks = [\"read\"]"))
    }

    @Test func removingAUserDeletesOnlyWithPrune() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"]).status == 0)
        let users = try workspace.read("pipelines/users.yaml")
        let cut = try #require(users.range(of: "---\napiVersion: bizone/v1\nkind: User\nmetadata:\n  name: fajar-agent"))
        try workspace.write("pipelines/users.yaml", String(users[..<cut.lowerBound]))

        let withoutPrune = try await workspace.run(["plan", "pipelines", "--detailed-exitcode"])
        #expect(withoutPrune.status == 0, "\(withoutPrune.output)")
        #expect(withoutPrune.stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."))
        #expect(withoutPrune.stdout.contains("No longer declared"))
        #expect(withoutPrune.stdout.contains("user/fajar-agent"))

        let withPrune = try await planDocument(workspace, ["--prune"]).actionableChanges
        #expect(withPrune.map(\.action) == [.delete])
        #expect(withPrune.first?.id == ResourceID(kind: .user, name: "fajar-agent"))

        let apply = try await workspace.run(["apply", "pipelines", "--auto-approve", "--prune"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("0 added, 0 changed, 1 destroyed"))
        #expect(try await workspace.run(["plan", "pipelines", "--prune", "--detailed-exitcode"]).status == 0)
    }

    @Test func aSavedPlanIsRefusedOnceTheStateMoved() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let saved = try await workspace.run(["plan", "pipelines", "--out", "p.json"])
        #expect(saved.status == 0, "\(saved.output)")
        #expect(try await workspace.run(["apply", "pipelines", "--auto-approve"]).status == 0)

        let stale = try await workspace.run(["apply", "p.json"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("saved plan is stale"), "\(stale.output)")
        #expect(stale.stderr.contains("serial 0"))
    }

    @Test func aFreshSavedPlanAppliesAndIsRecorded() async throws {
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        #expect(try await workspace.run(["plan", "pipelines", "--out", "p.json"]).status == 0)
        let apply = try await workspace.run(["apply", "p.json"], environment: ["BIZONE_REVISION": "abc123def"])
        #expect(apply.status == 0, "\(apply.output)")
        let again = try await workspace.run(["apply", "p.json"])
        #expect(again.status == 1, "a plan applies once")

        let status = try await workspace.run(["status", "--json"])
        #expect(status.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let last = try #require(json["lastApply"] as? [String: Any])
        #expect(last["actor"] as? String == "cli-test")
        #expect(last["revision"] as? String == "abc123def")
        #expect(last["outcome"] as? String == "succeeded")
        #expect(last["changes"] as? Int == Self.localResourceCount)
        #expect(json["serial"] as? Int == 1)
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(resources.count == Self.localResourceCount)
        let blocked = resources.filter { $0["health"] as? String == "Blocked" }.compactMap { $0["id"] as? String }
        #expect(blocked.sorted() == ["campaign/vip-seasonal-promo", "campaign/welcome-new-signups"])
        let vip = try #require(resources.first { $0["id"] as? String == "audience/vip-customers" })
        #expect(vip["detail"] as? String == "186 reachable of 192 contacts, 6 opted out")
    }

    /// The token is used for real (templates are created at the emulator with it), yet appears in
    /// no state file, plan or output.
    @Test func secretsNeverReachTheStateFileOrThePlan() async throws {
        let secret = "zq-DISTINCTIVE-secret-\(UUID().uuidString)"
        var configuration = EmulatorConfiguration(port: 0, accessToken: secret, businessAccountID: "102290129340398",
                                                  phoneNumberID: "106540352242922")
        configuration.timing.reviewDelay = 0.05
        let emulator = try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
        defer { Task { await emulator.stop() } }
        let workspace = try Workspace()
        _ = try workspace.copy("pipelines")
        let environment = ["META_ACCESS_TOKEN": secret, "META_APP_SECRET": secret + "-app", "META_VERIFY_TOKEN": secret + "-verify",
                           "CRM_WEBHOOK_SECRET": secret + "-crm", "BIZONE_GRAPH_URL": emulator.baseURL]
        let apply = try await workspace.run(["apply", "pipelines", "--auto-approve", "--log-level", "trace"], environment: environment)
        #expect(apply.status == 0, "\(apply.output)")
        #expect(!apply.stderr.contains("not available here"), "the secrets were resolvable")
        #expect(await emulator.control.templates().count == 12, "templates were created at Meta with the token")
        let plan = try await workspace.run(["plan", "pipelines", "--out", "p.json", "--json", "--log-level", "trace"], environment: environment)
        #expect(plan.status == 0)
        let status = try await workspace.run(["status", "--json"], environment: environment)

        var haystacks: [(String, Data)] = [("plan file", try Data(contentsOf: URL(fileURLWithPath: workspace.path("p.json"))))]
        let stateDirectory = URL(fileURLWithPath: workspace.statePath).deletingLastPathComponent()
        for name in try FileManager.default.contentsOfDirectory(atPath: stateDirectory.path) {
            haystacks.append((name, try Data(contentsOf: stateDirectory.appendingPathComponent(name))))
        }
        #expect(haystacks.count >= 2)
        for output in [apply, plan, status] { haystacks.append(("output", Data(output.output.utf8))) }
        for (name, data) in haystacks {
            #expect(data.range(of: Data(secret.utf8)) == nil, "secret found in \(name)")
        }
        // The references themselves are stored: that is what makes the check above meaningful.
        let database = try Data(contentsOf: URL(fileURLWithPath: workspace.statePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.statePath + "-wal"))) ?? Data())
        #expect(database.range(of: Data("META_ACCESS_TOKEN".utf8)) != nil)
    }
}
