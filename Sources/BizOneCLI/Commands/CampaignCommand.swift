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

struct CampaignPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a campaign's queued and running runs.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String
    @Option(name: .long, help: "Why, for the report.") var reason = "paused by hand"

    func run() async throws {
        let store = try StateAccess.existing(global)
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
        let store = try StateAccess.existing(global)
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
        let store = try StateAccess.existing(global)
        _ = try appliedCampaign(name, store: store)
        let runs = try store.cancelCampaignRuns(campaign: name, at: Date())
        print(runs.isEmpty ? "No unfinished run of \(name)." : "Cancelled run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", ")).")
    }
}
