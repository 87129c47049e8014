import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Run, pause, resume, cancel and report campaigns (as applied to the state).",
        subcommands: [CampaignRunCommand.self, CampaignPauseCommand.self, CampaignResumeCommand.self,
                      CampaignCancelCommand.self, CampaignReportCommand.self])
}

/// The applied campaign, or a clear error.
func appliedCampaign(_ name: String, store: StateStore) throws -> CampaignSpec {
    guard let record = try store.appliedResource(ResourceID(kind: .campaign, name: name)),
          let spec = try record.content["spec"]?.decode(CampaignSpec.self) else {
        Terminal.printError("error: campaign \(name) is not in the state file; apply it first")
        throw ExitCode(1)
    }
    return spec
}

struct CampaignRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Send a campaign now, in the foreground, with a progress bar.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String
    @Flag(name: .long, help: "Start a run now instead of waiting for the schedule (required).") var now = false

    func run() async throws {
        guard now else { throw ValidationError("add --now: scheduled runs are sent by `bizone serve`") }
        let logger = global.logger("bizone.campaign")
        let store = try StateStore(path: global.statePath)
        _ = try appliedCampaign(name, store: store)
        let meta = GraphConnection.sendClients(for: try GraphConnection.integrations(in: store), logger: logger)
        let dispatcher = CampaignDispatcher(store: store, meta: meta, logger: logger)
        let run = try dispatcher.createManualRun(campaign: name)
        print("Campaign \(name): run \(run.id)")
        let bar = ProgressBar()
        let outcome = try await dispatcher.run(runID: run.id) { progress in bar.update(progress) }
        bar.finish()
        let counts = try store.campaignRunCounts(runID: run.id)
        print(CampaignReport.summaryLine(counts))
        switch outcome {
        case .completed:
            print(global.terminal.green("Run \(run.id) completed."))
        case .paused(let reason):
            Terminal.printError(global.terminal.yellow("paused: ") + reason + " (resume with `bizone campaign resume \(name)`)")
            throw ExitCode(1)
        case .cancelled:
            print("Run \(run.id) was cancelled.")
        case .expired:
            print("Run \(run.id) expired.")
        case .busy(let holder):
            Terminal.printError("error: run \(run.id) is being sent by \(holder)")
            throw ExitCode(1)
        case .stopped:
            print("Stopped; the run continues on the next start.")
        }
    }
}

struct CampaignPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a campaign's queued and running runs.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String
    @Option(name: .long, help: "Why, for the report.") var reason = "paused by hand"

    func run() async throws {
        let store = try StateStore(path: global.statePath)
        _ = try appliedCampaign(name, store: store)
        let runs = try store.pauseCampaignRuns(campaign: name, reason: reason, source: .manual, at: Date())
        print(runs.isEmpty ? "No queued or running run of \(name)." : "Paused run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", ")).")
    }
}

struct CampaignResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a campaign's paused runs where they stopped.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String

    func run() async throws {
        let store = try StateStore(path: global.statePath)
        _ = try appliedCampaign(name, store: store)
        let runs = try store.resumeCampaignRuns(campaign: name, at: Date())
        print(runs.isEmpty ? "No paused run of \(name)." : "Resumed run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", ")); `bizone serve` continues them.")
    }
}

struct CampaignCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a campaign's unfinished runs; unsent recipients are skipped.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String

    func run() async throws {
        let store = try StateStore(path: global.statePath)
        _ = try appliedCampaign(name, store: store)
        let runs = try store.cancelCampaignRuns(campaign: name, at: Date())
        print(runs.isEmpty ? "No unfinished run of \(name)." : "Cancelled run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", ")).")
    }
}
