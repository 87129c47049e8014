import BizOneModel
import Foundation
import Testing

/// `bizone plan` forecasts each campaign (issue 6 §3) against the emulator over real HTTP.
@Suite("campaign plan")
struct CampaignPlanTests {
    static func forecast(_ result: Workspace.Result) throws -> [String: Any] {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.output)")
        let campaigns = try #require(plan["campaigns"] as? [[String: Any]])
        return try #require(campaigns.first { $0["campaign"] as? String == "blast" })
    }

    @Test(.timeLimit(.minutes(4)))
    func theForecastBlocksUntilApprovalAndCountsRunsDurationAndTheMessagingLimit() async throws {
        // 320 rows: 10 opted out, 10 duplicates -> 300 recipients, above TIER_250's 250 a day.
        let rows = (0..<310).map { "\(CampaignTests.phone($0)),P\($0),\($0 < 10 ? "true" : "false")\n" }
            + (0..<10).map { "\(CampaignTests.phone($0 + 100)),Again,false\n" }
        let schedule = """
            ---
            apiVersion: bizone/v1
            kind: Schedule
            metadata: {name: soon}
            spec:
              cron: "0 9 * * 1"
              timezone: Asia/Jakarta
            """
        let workspace = try CampaignTests.workspace(csv: "phone,name,opt_out\n" + rows.joined(), rate: 100, schedule: schedule)
        let emulator = try await CampaignTests.emulator(rate: 0)
        defer { Task { await emulator.stop() } }
        let environment = ServeTests.environment(graph: emulator.baseURL)

        let before = try Self.forecast(try await workspace.run(["plan", "c", "--json"], environment: environment))
        #expect(before["finalAudience"] as? Int == 300)
        #expect(before["audiencePreview"] as? Bool == true)
        #expect((before["blocked"] as? String)?.contains("no known status at Meta") == true, "\(before)")
        #expect(before["estimatedSeconds"] as? Double == 3)
        #expect(before["messagingLimitTier"] as? String == "TIER_250")

        #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)
        let text = try await workspace.run(["plan", "c"], environment: environment)
        #expect(text.stdout.contains("No changes."), "\(text.output)")
        let line = try #require(text.stdout.split(separator: "\n").first { $0.contains("blast") && $0.contains("promo@en_US") })
        for cell in ["Healthy (APPROVED)", "300", "100/s", "3 s", "TIER_250 (250/24 h) exceeded", "09:00", "Asia/Jakarta"] {
            #expect(line.contains(cell), "\(cell) missing from: \(line)")
        }
        #expect(!text.stdout.contains("will not run"), "\(text.stdout)")
        #expect(text.output.contains("allows 250 unique users per 24 hours"), "\(text.output)")

        let after = try Self.forecast(try await workspace.run(["plan", "c", "--json"], environment: environment))
        #expect(after["blocked"] == nil)
        #expect(after["templateStatus"] as? String == "APPROVED")
        #expect(after["audiencePreview"] as? Bool == false)
        let runs = try #require(after["nextRuns"] as? [String])
        #expect(runs.count == 3)
        // Mondays 09:00 in Jakarta are 02:00 UTC.
        #expect(runs.allSatisfy { $0.contains("T02:00:00Z") }, "\(runs)")
    }
}
