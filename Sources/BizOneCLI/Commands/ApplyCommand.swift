import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the state match the configuration, or execute a plan saved with `plan --out`.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: PlanFlags

    @Argument(help: "Files or directories to read (default: pipelines), or one saved plan file.")
    var paths: [String] = []

    @Flag(name: .long, help: "Apply without asking for confirmation.")
    var autoApprove = false

    @Option(name: .long, help: "How long to wait for the state lock, e.g. 30s (default: fail at once).")
    var lockTimeout: String = "0s"

    func run() throws {
        let logger = global.logger("bizone.apply")
        let terminal = global.terminal
        guard let timeout = DurationValue(parsing: lockTimeout) else {
            throw ValidationError("--lock-timeout \(lockTimeout): use a duration such as 30s or 2m")
        }
        let engine = Engine(store: try StateStore(path: global.statePath), logger: logger)
        let plan: Plan
        let saved = paths.count == 1 ? PlanDocument.read(paths[0]) : nil
        if let saved {
            plan = saved
            print(PlanRenderer(terminal: terminal).render(plan))
        } else {
            let (desired, _) = try DesiredLoader.load(paths, terminal: terminal, checkSecrets: true)
            plan = try engine.plan(desired: desired, options: try flags.options())
            DiagnosticPrinter.print(plan.diagnostics, terminal: terminal)
            print(PlanRenderer(terminal: terminal).render(plan))
            if plan.diagnostics.hasErrors { throw ExitCode(1) }
            guard plan.hasChanges else { return }
            if !autoApprove && !Self.confirm() {
                print("\nApply cancelled.")
                throw ExitCode(1)
            }
        }
        guard plan.hasChanges else { return }
        print("")
        let report: ApplyReport
        do {
            report = try engine.apply(plan, actor: RunContext.actor(revisionFrom: paths), lockTimeout: timeout.seconds) { change, index, total in
                print("[\(index)/\(total)] \(change.id): \(Self.progressVerb(change.action))")
            }
        } catch let error as EngineError {
            Terminal.printError(terminal.red("error: ") + error.description)
            throw ExitCode(1)
        } catch let error as StoreError {
            var text = terminal.red("error: ") + error.description
            if case .locked(let lock) = error, lock.host == ProcessInfo.processInfo.hostName, lock.pid > 0, kill(pid_t(lock.pid), 0) != 0, errno == ESRCH {
                text += "\n    hint: process \(lock.pid) on this host is no longer running, so the lock is stale"
            }
            Terminal.printError(text)
            throw ExitCode(1)
        }
        print("")
        for failure in report.failed {
            Terminal.printError(terminal.red("error: ") + "\(failure.change.id): \(failure.message)")
        }
        if !report.notAttempted.isEmpty {
            Terminal.printError("not attempted: " + report.notAttempted.map { "\($0.id)" }.joined(separator: ", "))
        }
        print(report.succeeded ? terminal.green(report.summaryLine) : terminal.red(report.summaryLine))
        print(terminal.dim("Run \(report.runID); state serial \(report.serial)."))
        if !report.succeeded { throw ExitCode(1) }
    }

    static func confirm() -> Bool {
        print("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n")
        print("  Enter a value: ", terminator: "")
        fflush(nil)
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }

    static func progressVerb(_ action: PlanAction) -> String {
        switch action {
        case .create: return "creating"
        case .update: return "updating"
        case .replace: return "replacing"
        case .delete: return "destroying"
        case .pending: return "skipping"
        }
    }
}
