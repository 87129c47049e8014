import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// Campaigns never send what the operator did not mean to send (issue 9 §3), with the real
/// binary, `bizone serve` and the emulator over loopback.
@Suite("campaign safety")
struct CampaignSafetyTests {
    static func csv(_ count: Int, offset: Int = 0) -> String {
        "phone,name\n" + (0..<count).map { "\(CampaignTests.phone($0 + offset)),Person \($0)\n" }.joined()
    }

    /// A second campaign `other` on the same integration and template, to `audience` (`few`
    /// is five inline contacts).
    static func otherCampaign(audience: String = "people") -> String {
        """
        ---
        apiVersion: bizone/v1
        kind: Audience
        metadata: {name: few}
        spec:
          contacts: [\((0..<5).map { "{phone: \"\(CampaignTests.phone(90_000 + $0))\", name: \"Few \($0)\"}" }.joined(separator: ", "))]
        ---
        apiVersion: bizone/v1
        kind: Campaign
        metadata: {name: other}
        spec:
          template: {name: promo, language: en_US}
          audience: \(audience)
          parameters: {"1": "{{contact.name}}"}
          throughput: {messagesPerSecond: 50}
          retry: {maxAttempts: 3, backoff: 100ms}
        """
    }

    /// The campaign workspace applied to a fresh emulator limited to `emulatorRate` msg/s, the
    /// integration at `integrationRate` (1,000 when nil).
    static func applied(csv: String, rate: Int, extra: String = "", integrationRate: Int? = nil,
                        emulatorRate: Double) async throws -> (Workspace, RunningEmulator, [String: String]) {
        let workspace = try CampaignTests.workspace(csv: csv, rate: rate, extra: extra)
        if let integrationRate {
            try workspace.edit("c/integration.yaml", replacing: "messagesPerSecond: 1000", with: "messagesPerSecond: \(integrationRate)")
        }
        let emulator = try await CampaignTests.emulator(rate: emulatorRate)
        let environment = ServeTests.environment(graph: emulator.baseURL)
        let apply = try await workspace.run(["apply", "c", "--auto-approve", "--wait"], environment: environment)
        #expect(apply.status == 0, "\(apply.output)")
        return (workspace, emulator, environment)
    }

    /// A queued manual run of `campaign` that nobody holds: `serve` sends it on its next tick.
    static func queueRunForServe(_ campaign: String, _ workspace: Workspace) throws -> Int64 {
        let store = try StateStore(path: workspace.statePath)
        return try store.createCampaignRun(campaign: campaign, trigger: .manual, scheduledFor: nil, at: Date()).run.id
    }

    @Test(.timeLimit(.minutes(4)))
    func ctrlCPausesTheRunAndARunningServeDoesNotTakeItOver() async throws {
        let (workspace, emulator, environment) = try await Self.applied(csv: Self.csv(3_000), rate: 100, extra: Self.otherCampaign(audience: "few"),
                                                                      emulatorRate: 1_000)
        defer { Task { await emulator.stop() } }
        let serve = try await ServeProcess(workspace: workspace, arguments: [], environment: environment)
        defer { serve.stop() }

        let run = try ChildProcess(workspace: workspace, ["campaign", "run", "blast", "--now", "--auto-approve", "--force"],
                                   environment: environment)
        try await eventually("the foreground run to send") {
            await emulator.control.messages().filter { $0.callbackData != nil }.count >= 100
        }
        run.signal(SIGINT)
        let result = try await run.wait()
        #expect(result.status == 128 + SIGINT, "\(result.output)")
        #expect(result.stderr.contains("paused"), "\(result.stderr)")
        #expect(result.stderr.contains("bizone campaign resume blast"), "\(result.stderr)")
        #expect(result.stderr.contains("bizone campaign cancel blast"), "\(result.stderr)")

        let store = try StateStore(path: workspace.statePath)
        let blast = try #require(try store.campaignRuns(campaign: "blast", statuses: nil).first)
        #expect(blast.status == .paused)
        #expect(try store.campaignRunControl(id: blast.id)?.pauseSource == .manual)
        let sentBefore = try store.campaignRunCounts(runID: blast.id).attempted
        #expect(sentBefore > 0 && sentBefore < 3_000, "sent \(sentBefore) of 3,000")

        // Serve keeps working: a run it may send goes out in full. The interrupted one stays
        // paused with what it had sent, however many ticks passed meanwhile.
        let other = try Self.queueRunForServe("other", workspace)
        try await eventually("serve to finish the other campaign") {
            try store.campaignRun(id: other)?.status == .completed
        }
        #expect(try store.campaignRun(id: blast.id)?.status == .paused)
        #expect(try store.campaignRunCounts(runID: blast.id).attempted == sentBefore)
        let blastMessages = await emulator.control.messages().filter { $0.callbackData == "run:\(blast.id)" }.count
        #expect(blastMessages == sentBefore)
    }

    @Test(.timeLimit(.minutes(4)))
    func twoCampaignsOnOneNumberKeepToItsRateTogether() async throws {
        let (workspace, emulator, environment) = try await Self.applied(csv: Self.csv(300), rate: 50, extra: Self.otherCampaign(), integrationRate: 50,
                                                                      emulatorRate: 50)
        defer { Task { await emulator.stop() } }
        let serve = try await ServeProcess(workspace: workspace, arguments: [], environment: environment)
        defer { serve.stop() }

        // Both campaigns queued for `serve`: its runs share the number's pacer.
        let store = try StateStore(path: workspace.statePath)
        let both = [try Self.queueRunForServe("blast", workspace), try Self.queueRunForServe("other", workspace)]
        try await eventually("serve to complete both runs") {
            try both.allSatisfy { try store.campaignRun(id: $0)?.status == .completed }
        }
        // Then `serve` sends `other` again while a foreground run of `blast` starts on the same
        // number: one process at a time sends for it.
        let other = try Self.queueRunForServe("other", workspace)
        try await eventually("serve to start sending") { try store.campaignRunCounts(runID: other).attempted > 0 }
        let foreground = try await workspace.run(["campaign", "run", "blast", "--now", "--auto-approve", "--force"],
                                                         environment: environment)
        #expect(foreground.status == 0, "\(foreground.output)")
        try await eventually("both runs to complete") { try store.campaignRun(id: other)?.status == .completed }

        let messages = await emulator.control.messages().filter { $0.callbackData != nil }
        #expect(messages.count == 1_200)
        #expect(await emulator.control.stats().errors["130429"] == nil, "the number's limit of 50 msg/s was exceeded")
        let times = messages.map(\.acceptedAt).sorted()
        if let first = times.first, let last = times.last, last > first {
            let rate = Double(times.count) / (last - first)
            print("two campaigns on one number: \(times.count) messages at \(String(format: "%.1f", rate)) msg/s together")
            #expect(rate <= 55)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aRunAsksForConfirmationAndRefusesAnAudienceLargerThanTheLimitLeft() async throws {
        // The emulator's number is at TIER_250: 300 new recipients do not fit.
        let (workspace, emulator, environment) = try await Self.applied(csv: Self.csv(300), rate: 1_000,
                                                                      emulatorRate: 1_000)
        defer { Task { await emulator.stop() } }

        let refused = try await ChildProcess(workspace: workspace, ["campaign", "run", "blast", "--now"],
                                             environment: environment, input: "yes\n").wait()
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("promo@en_US Healthy (APPROVED"), "\(refused.stdout)")
        #expect(refused.stdout.contains("300 final recipients"), "\(refused.stdout)")
        #expect(refused.stdout.contains("TIER_250"), "\(refused.stdout)")
        #expect(refused.stderr.contains("300 new recipients exceed the 250"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")

        let declined = try await ChildProcess(workspace: workspace, ["campaign", "run", "blast", "--now", "--force"],
                                              environment: environment, input: "no\n").wait()
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("Send 300 messages now?"), "\(declined.stdout)")
        #expect(declined.stdout.contains("nothing was sent"), "\(declined.stdout)")
        #expect(await emulator.control.messages().isEmpty)
        let store = try StateStore(path: workspace.statePath)
        #expect(try store.campaignRuns(campaign: "blast", statuses: nil).isEmpty, "no run was created")

        let approved = try await ChildProcess(workspace: workspace, ["campaign", "run", "blast", "--now", "--force"],
                                              environment: environment, input: "yes\n").wait()
        #expect(approved.status == 0, "\(approved.output)")
        #expect(await emulator.control.messages().count == 300)

        // The next run's confirmation counts them: all 300 were messaged in the last 24 hours.
        let again = try await ChildProcess(workspace: workspace, ["campaign", "run", "blast", "--now"],
                                           environment: environment, input: "no\n").wait()
        #expect(again.stdout.contains("300 of this audience already messaged; 0 new recipients"), "\(again.stdout)")
        #expect(again.stdout.contains("300 messaged in the last 24 h"), "\(again.stdout)")
    }

    @Test(.timeLimit(.minutes(3)))
    func sendsOfAForegroundRunShowInServesMetrics() async throws {
        let (workspace, emulator, environment) = try await Self.applied(csv: Self.csv(40), rate: 1_000,
                                                                      emulatorRate: 1_000)
        defer { Task { await emulator.stop() } }
        let serve = try await ServeProcess(workspace: workspace, arguments: [], environment: environment)
        defer { serve.stop() }
        let run = try await workspace.run(["campaign", "run", "blast", "--now", "--auto-approve"], environment: environment)
        #expect(run.status == 0, "\(run.output)")
        let metrics = try await webhookClient.execute(.init(url: serve.baseURL + "/metrics"), timeout: .seconds(60))
        let text = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
        #expect(text.contains(#"bizone_sends_total{source="campaign"} 40"#), "\(text)")
    }
}

/// A `bizone` child process with its output in files, optional input, and signals.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let out: URL
    private let err: URL

    init(workspace: Workspace, _ arguments: [String], environment: [String: String], input: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = arguments + ["--state", workspace.statePath, "--no-color"]
        process.currentDirectoryURL = workspace.directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        out = workspace.directory.appendingPathComponent(".child-out-\(UUID().uuidString)")
        err = workspace.directory.appendingPathComponent(".child-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            try pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end (off the cooperative pool) and reads what it printed.
    func wait() async throws -> Workspace.Result {
        await process.exited()
        return Workspace.Result(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                                stderr: try String(contentsOf: err, encoding: .utf8))
    }

    deinit { if process.isRunning { process.terminate() } }
}
