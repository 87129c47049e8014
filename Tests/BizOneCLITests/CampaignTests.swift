import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// Campaigns against the emulator over real HTTP (issue 6's acceptance).
@Suite("campaigns")
struct CampaignTests {
    /// A workspace with an integration (1,000 msg/s), one approved-to-be template, an audience
    /// from `csv` and one campaign.
    static func workspace(csv: String, rate: Int, schedule: String? = nil, extra: String = "") throws -> Workspace {
        let workspace = try Workspace()
        let integration = try String(contentsOf: Workspace.packageRoot.appendingPathComponent("pipelines/integration.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "messagesPerSecond: 80", with: "messagesPerSecond: 1000")
        try workspace.write("c/integration.yaml", integration)
        try workspace.write("c/people.csv", csv)
        try workspace.write("c/campaign.yaml", """
            apiVersion: bizone/v1
            kind: Template
            metadata: {name: promo}
            spec:
              language: en_US
              category: MARKETING
              body: {text: "Hi {{1}}, your member code is ready. See you soon!", examples: {"1": "Siti"}}
            ---
            apiVersion: bizone/v1
            kind: Audience
            metadata: {name: people}
            spec:
              csv: {path: people.csv}
            \(schedule ?? "")
            ---
            apiVersion: bizone/v1
            kind: Campaign
            metadata: {name: blast}
            spec:
              template: {name: promo, language: en_US}
              audience: people
              \(schedule == nil ? "" : "schedule: soon")
              parameters: {"1": "{{contact.name}}"}
              throughput: {messagesPerSecond: \(rate)}
              retry: {maxAttempts: 3, backoff: 100ms}
              stopConditions: {maxFailureRate: 0.5}
            \(extra)
            """)
        return workspace
    }

    static func emulator(rate: Double, rules: String = "", webhookURL: String? = nil) async throws -> RunningEmulator {
        var configuration = EmulatorConfiguration(port: 0, businessAccountID: "102290129340398", phoneNumberID: "106540352242922",
                                                  webhookURL: webhookURL)
        configuration.timing = EmulatorTiming(reviewDelay: 0.05, sentDelay: 0.01, deliveredDelay: 0.01, readDelay: 0.01)
        configuration.limits.messagesPerSecond = rate
        configuration.limits.pairInterval = 0
        configuration.rules = try EmulatorRules.parse(rules)
        return try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
    }

    static func phone(_ index: Int) -> String { "+62812" + String(format: "%08d", index) }

    @Test(.timeLimit(.minutes(5)))
    func theAudienceCountsAndEachFinalRecipientGetsExactlyOneMessage() async throws {
        // 5,000 rows: 50 invalid, 300 duplicates of earlier rows, 200 opted out -> 4,450 recipients.
        let valid = (0..<4_650).map { "\(Self.phone($0)),Person \($0),\($0 < 200 ? "true" : "false")" }
            + (0..<300).map { "\(Self.phone($0 * 7)),Again \($0),false" }
        var csv = "phone,name,opt_out\n"
        var invalidLines: [Int] = []
        var next = 0
        for row in 0..<5_000 {
            if row % 100 == 99 {
                csv += "not-a-phone-\(row),Broken \(row),false\n"
                invalidLines.append(row + 2)
            } else {
                csv += valid[next] + "\n"
                next += 1
            }
        }
        #expect(next == 4_950 && invalidLines.count == 50)
        let workspace = try Self.workspace(csv: csv, rate: 1_000)
        let emulator = try await Self.emulator(rate: 1_000)
        defer { Task { await emulator.stop() } }
        var environment = ServeTests.environment(graph: emulator.baseURL)
        environment["BIZONE_TEMPLATE_CREATES_PER_HOUR"] = "100"
        #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)

        let show = try await workspace.run(["audience", "show", "people", "c", "--invalid-limit", "100"], environment: environment)
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.contains("4450") || show.stdout.contains("4,450"), "\(show.stdout)")
        let listed = invalidLines.filter { show.output.contains("people.csv:\($0):") }
        #expect(listed.count == 50, "invalid rows listed by line: \(listed.count)")

        let run = try await workspace.run(["campaign", "run", "blast", "--now", "--auto-approve", "--force"], environment: environment)
        #expect(run.status == 0, "\(run.output)")
        let messages = await emulator.control.messages()
        #expect(messages.count == 4_450)
        #expect(Set(messages.map(\.waID)).count == 4_450, "one message per recipient")
        #expect(await emulator.control.stats().errors["130429"] == nil)
        let report = try await workspace.run(["campaign", "report", "blast", "--format", "json"], environment: environment)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        #expect((runs.first?["recipients"] as? Int) == 4_450)
    }

    @Test(.timeLimit(.minutes(5)))
    func theReportMatchesTheEmulatorsLogCountForCount() async throws {
        // 1,000 recipients: numbers ending 00-04 fail for good (131026), 05-09 fail twice with a
        // retryable error (131000) and then go through.
        let csv = "phone,name\n" + (0..<1_000).map { "\(Self.phone($0)),Person \($0)\n" }.joined()
        let workspace = try Self.workspace(csv: csv, rate: 1_000)
        let emulator = try await Self.emulator(rate: 0, rules: """
            recipients:
              - match: "0[0-4]$"
                fail: 131026
                synchronous: true
              - match: "0[5-9]$"
                fail: 131000
                synchronous: true
                times: 2
            """)
        defer { Task { await emulator.stop() } }
        let environment = ServeTests.environment(graph: emulator.baseURL)
        #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)
        let run = try await workspace.run(["campaign", "run", "blast", "--now", "--auto-approve", "--force"], environment: environment)
        #expect(run.status == 0, "\(run.output)")

        let stats = await emulator.control.stats()
        let store = try StateStore(path: workspace.statePath)
        let runID = try #require(try store.campaignRuns(campaign: "blast", statuses: nil).first?.id)
        let counts = try store.campaignRunCounts(runID: runID)
        #expect(stats.errors["131026"] == 50)
        #expect(stats.errors["131000"] == 100, "two refusals for each of 50 recipients")
        #expect(counts.failedByCode["131026"] == stats.errors["131026"])
        #expect(counts.byState["failed"] == 50)
        #expect(stats.sendsAccepted == 950)
        let accepted = ["accepted", "sent", "delivered", "read"].compactMap { counts.byState[$0] }.reduce(0, +)
        #expect(accepted == stats.sendsAccepted)
        #expect(counts.total == 1_000)

        // The CSV lists every recipient once with its final state and Meta's code.
        let csvReport = try await workspace.run(["campaign", "report", "blast", "--format", "csv"], environment: environment)
        let lines = csvReport.stdout.split(separator: "\n")
        #expect(lines.first == "phone,name,state,attempts,wamid,error_code,error_title,skip_reason,updated_at")
        #expect(lines.count == 1_001)
        #expect(Set(lines.dropFirst().map { $0.split(separator: ",").first ?? "" }).count == 1_000)
        #expect(lines.filter { $0.contains(",failed,") && $0.contains(",131026,") }.count == 50)
        #expect(lines.filter { $0.contains(",Person 5,") || $0.hasPrefix("\(Self.phone(5)),") }.first?.contains(",3,") == true,
                "a recipient refused twice then accepted took 3 attempts")
    }

    /// A one-off schedule due a minute before now, and the campaign's cursor placed before it, as
    /// if the apply had run earlier: the run is due the moment serve starts, and nothing waits for
    /// the clock.
    static func dueSchedule(at due: Date, expireAfter: String) -> String {
        """
            ---
            apiVersion: bizone/v1
            kind: Schedule
            metadata: {name: soon}
            spec:
              at: "\(Timestamps.format(due))"
              expireAfter: \(expireAfter)
            """
    }

    /// Moves the scheduler's cursor of `blast` to before `due`, so the occurrence at `due` counts
    /// as falling due after the apply (the scheduler otherwise looks only after the apply time).
    static func placeCursor(before due: Date, in workspace: Workspace) throws {
        let store = try StateStore(path: workspace.statePath)
        try store.recordScheduledOccurrences(campaign: "blast", [], cursor: due.addingTimeInterval(-60), at: Date())
    }

    @Test(.timeLimit(.minutes(8)))
    func killingTheServerFiveTimesNeverSendsTwiceExceptUnknown() async throws {
        let count = 20_000
        let csv = "phone,name\n" + (0..<count).map { "\(Self.phone($0)),Person \($0)\n" }.joined()
        let due = Date().addingTimeInterval(-60)
        let workspace = try Self.workspace(csv: csv, rate: 1_000, schedule: Self.dueSchedule(at: due, expireAfter: "1h"))
        let emulator = try await Self.emulator(rate: 0)
        defer { Task { await emulator.stop() } }
        let environment = ServeTests.environment(graph: emulator.baseURL)
        #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)
        try Self.placeCursor(before: due, in: workspace)
        let store = try StateStore(path: workspace.statePath)

        // Each server is killed after a (seeded) random number of further accepted sends, so every
        // kill lands mid-run however fast or slow the machine is: 5 x at most 3,000 < 20,000.
        var random = SeededRandom(seed: 20_000)
        for round in 0..<5 {
            let before = await emulator.control.stats().sendsAccepted
            let target = before + Int.random(in: 500...3_000, using: &random)
            let serve = try await ServeProcess(workspace: workspace, arguments: ["c"], environment: environment)
            await eventually("round \(round): \(target - before) more sends") {
                await emulator.control.stats().sendsAccepted >= target
            }
            await serve.kill()
        }
        let serve = try await ServeProcess(workspace: workspace, arguments: ["c"], environment: environment)
        defer { serve.stop() }
        try await eventually("the run to complete") {
            try store.campaignRuns(campaign: "blast", statuses: [.completed]).count == 1
        }
        let runID = try #require(try store.campaignRuns(campaign: "blast", statuses: nil).first?.id)
        let counts = try store.campaignRunCounts(runID: runID)
        #expect(counts.total == count, "the report adds up to the audience")
        var unknown = Set<String>()
        try store.exportOutbox(runID: runID, batchSize: 1_000) { rows in
            for row in rows where row.entry.state == .unknown { unknown.insert(String(row.entry.phone.dropFirst())) }
        }
        let perRecipient = Dictionary(grouping: await emulator.control.messages(), by: \.waID).mapValues(\.count)
        let twice = perRecipient.filter { $0.value > 1 }.map(\.key)
        #expect(twice.allSatisfy { unknown.contains($0) }, "sent twice but not reported unknown: \(twice.filter { !unknown.contains($0) }.prefix(5))")
        #expect(perRecipient.count + (counts.byState["unknown"] ?? 0) >= count - (counts.byState["skipped"] ?? 0))
    }

    /// The server is down while the run falls due (ten minutes before it starts): beyond
    /// `expireAfter` the run is expired and nothing sent; inside it, the run sends on start-up.
    @Test(.timeLimit(.minutes(5)))
    func aScheduleMissedBeyondExpireAfterIsExpiredAndOneInsideItSendsOnStartUp() async throws {
        let csv = "phone,name\n" + (0..<20).map { "\(Self.phone($0)),Person \($0)\n" }.joined()
        let emulator = try await Self.emulator(rate: 0)
        defer { Task { await emulator.stop() } }
        let environment = ServeTests.environment(graph: emulator.baseURL)
        for (expireAfter, expected) in [("1s", CampaignRunRecord.Status.expired), ("1h", .completed)] {
            let due = Date().addingTimeInterval(-600)
            let workspace = try Self.workspace(csv: csv, rate: 100, schedule: Self.dueSchedule(at: due, expireAfter: expireAfter))
            #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)
            try Self.placeCursor(before: due, in: workspace)
            let before = await emulator.control.messages().count
            let serve = try await ServeProcess(workspace: workspace, arguments: ["c"], environment: environment)
            let store = try StateStore(path: workspace.statePath)
            try await eventually("the run to be \(expected)") {
                try store.campaignRuns(campaign: "blast", statuses: [expected]).count == 1
            }
            _ = await serve.stopped()
            #expect(try store.campaignRuns(campaign: "blast", statuses: nil).count == 1, "expireAfter \(expireAfter): one run")
            let sent = await emulator.control.messages().count - before
            #expect(sent == (expected == .expired ? 0 : 20), "expireAfter \(expireAfter)")
        }
    }

    /// Meta pauses the template mid-run: the status webhook reaches serve, the run is paused
    /// for its template, and it stops at once. "At once" is counted, not timed: the emulator
    /// refuses every send of a paused template (132015), and the run may have had at most one
    /// batch in flight when it learnt of the pause (50 msg/s x 0.25 s, well under 64), where a run
    /// that kept going would be refused for every one of the ~1,900 recipients left.
    @Test(.timeLimit(.minutes(5)))
    func aTemplatePausedByMetaPausesTheCampaignWithinASecond() async throws {
        let csv = "phone,name\n" + (0..<2_000).map { "\(Self.phone($0)),Person \($0)\n" }.joined()
        let workspace = try Self.workspace(csv: csv, rate: 50)
        _ = try workspace.copy("pipelines", as: "unused")  // keeps the workspace layout like the others
        let serveEnvironment = ServeTests.environment()
        let serve = try await ServeProcess(workspace: workspace, arguments: ["c"], environment: serveEnvironment)
        defer { serve.stop() }
        let emulator = try await Self.emulator(rate: 0, webhookURL: serve.webhookURL)
        defer { Task { await emulator.stop() } }
        let environment = ServeTests.environment(graph: emulator.baseURL)
        #expect(try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment).status == 0)

        async let run = workspace.run(["campaign", "run", "blast", "--now", "--auto-approve", "--force"], environment: environment)
        await eventually("some sends") { await emulator.control.stats().sendsAccepted >= 100 }
        let template = try #require(await emulator.control.templates().first { $0.name == "promo" })
        try await emulator.control.pause(templateID: template.id)
        let acceptedAtPause = await emulator.control.stats().sendsAccepted
        let result = try await run
        #expect(result.status == 1, "the foreground run reports the pause")
        #expect(result.stderr.contains("paused"), "\(result.output)")

        let store = try StateStore(path: workspace.statePath)
        let promo = ResourceID(kind: .template, name: "promo", language: "en_US")
        try await eventually("serve to record the template PAUSED") { try store.templateRecord(promo)?.status == "PAUSED" }
        let runID = try #require(try store.campaignRuns(campaign: "blast", statuses: nil).first?.id)
        let control = try #require(try store.campaignRunControl(id: runID))
        #expect(control.status == .paused)
        #expect(control.pauseSource == .template, "paused for its template: \(control.pauseReason ?? "")")
        let stats = await emulator.control.stats()
        #expect(stats.sendsAccepted == acceptedAtPause, "Meta accepted nothing after the pause")
        #expect((stats.errors["132015"] ?? 0) <= 64, "sends refused as paused: \(stats.errors["132015"] ?? 0)")
        let counts = try store.campaignRunCounts(runID: runID)
        #expect(counts.failedByCode["132015"] == nil, "a refused recipient is queued again, not failed")
        #expect(counts.byState["queued"] == 2_000 - acceptedAtPause, "the rest wait for a resume: \(counts.byState)")
    }
}
