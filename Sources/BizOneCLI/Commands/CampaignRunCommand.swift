import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

/// `bizone campaign run NAME --now`: a run sent in the foreground, after a confirmation like
/// `apply`'s. Ctrl-C (or SIGTERM) pauses the run at once, so neither this process nor a
/// running `serve` sends anything the operator did not mean to send; resume or cancel it
/// by hand.
struct CampaignRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Send a campaign now, in the foreground, with a progress bar.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Campaign name.") var name: String
    @Flag(name: .long, help: "Start a run now instead of waiting for the schedule (required).") var now = false
    @Flag(name: .long, help: "Send without asking for confirmation.") var autoApprove = false
    @Flag(name: .long, help: "Send even when the audience is larger than the messaging limit has left.") var force = false

    func run() async throws {
        guard now else { throw ValidationError("add --now: scheduled runs are sent by `bizone serve`") }
        let logger = global.logger("bizone.campaign")
        let store = try StateAccess.existing(global)
        _ = try appliedCampaign(name, store: store)
        let meta = GraphConnection.clients(for: try GraphConnection.integrations(in: store), logger: logger)

        let preflight = try await CampaignPreflight.read(campaign: name, store: store, meta: meta, now: Date())
        print(CampaignPreflightReport(preflight: preflight, terminal: global.terminal).render())
        if let blocked = preflight.blocked {
            Terminal.printError("error: campaign \(name) cannot start: \(blocked)")
            throw ExitCode(1)
        }
        if preflight.exceedsLimit && !force {
            Terminal.printError("error: \(preflight.newRecipients) new recipients exceed the \(preflight.remainingLimit ?? 0) "
                                + "the messaging limit has left in the next 24 hours; nothing was sent"
                                + "\n    hint: send to a smaller audience, wait, or add --force")
            throw ExitCode(1)
        }
        if !autoApprove && !Self.confirm(preflight) {
            print("Cancelled; nothing was sent.")
            throw ExitCode(1)
        }

        let dispatcher = CampaignDispatcher(store: store, meta: meta, logger: logger)
        let run = try dispatcher.createManualRun(campaign: name)
        print("Campaign \(name): run \(run.id)")
        let bar = ProgressBar()
        let sending = Task { try await dispatcher.run(runID: run.id) { progress in bar.update(progress) } }
        let interrupts = InterruptWatcher { signal in
            // Paused in the state first, so a running `serve` never takes the run over.
            let reason = "interrupted (\(InterruptWatcher.name(signal))) while `bizone campaign run` was sending"
            _ = try? store.pauseCampaignRun(id: run.id, reason: reason, source: .manual, at: Date())
            Terminal.printError("\n\(InterruptWatcher.name(signal)): pausing run \(run.id); waiting for the sends in flight...")
            sending.cancel()
        }
        let outcome: CampaignRunOutcome
        do {
            outcome = try await sending.value
        } catch {
            interrupts.stop()
            throw error
        }
        interrupts.stop()
        bar.finish()
        let counts = try store.campaignRunCounts(runID: run.id)
        print(CampaignReport.summaryLine(counts))
        if let signal = interrupts.receivedSignal {
            Terminal.printError(global.terminal.yellow("paused: ") + "run \(run.id) stopped by \(InterruptWatcher.name(signal)); "
                                + "\(counts.attempted) of \(counts.total) recipients were sent to.\n"
                                + "    resume: bizone campaign resume \(name)   (a running `bizone serve` continues it)\n"
                                + "    cancel: bizone campaign cancel \(name)")
            throw ExitCode(128 + signal)
        }
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

    static func confirm(_ preflight: CampaignPreflight) -> Bool {
        print("\nSend \(preflight.finalAudience) messages now?\n  Only 'yes' will be accepted to approve.\n")
        print("  Enter a value: ", terminator: "")
        fflush(nil)
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }
}
