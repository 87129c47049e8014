import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

struct ApplyCommand: AsyncParsableCommand {
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

    @Flag(name: .long, help: "Wait until every changed template leaves PENDING; exit 1 if any ends REJECTED or DISABLED.")
    var wait = false

    @Option(name: .long, help: "With --wait: how long to wait for Meta's review, e.g. 10m.")
    var timeout: String = "10m"

    func run() async throws {
        let logger = global.logger("bizone.apply")
        let terminal = global.terminal
        guard let lockWait = DurationValue(parsing: lockTimeout) else {
            throw ValidationError("--lock-timeout \(lockTimeout): use a duration such as 30s or 2m")
        }
        guard let reviewWait = DurationValue(parsing: timeout) else {
            throw ValidationError("--timeout \(timeout): use a duration such as 10m")
        }
        let store = try StateStore(path: global.statePath)
        let plan: Plan
        let engine: Engine
        let saved = paths.count == 1 ? PlanDocument.read(paths[0]) : nil
        if let saved {
            plan = saved
            engine = Engine.forCommand(store: store, meta: GraphConnection.clients(for: try GraphConnection.integrations(for: saved, in: store), logger: logger), logger: logger)
            print(PlanRenderer(terminal: terminal).render(plan))
        } else {
            let (desired, _) = try DesiredLoader.load(paths, terminal: terminal, checkSecrets: true)
            engine = Engine.forCommand(store: store, meta: GraphConnection.clients(for: GraphConnection.integrations(in: desired), logger: logger), logger: logger)
            plan = try await Reporting.graphErrors { try await engine.plan(desired: desired, options: try flags.options(), refresh: flags.refresh) }
            DiagnosticPrinter.print(plan.diagnostics, terminal: terminal)
            print(PlanRenderer(terminal: terminal).render(plan))
            if plan.diagnostics.hasErrors { throw ExitCode(1) }
            guard plan.hasChanges else {
                if wait { try await waitForReview(engine, ids: [], timeout: reviewWait.seconds) }
                return
            }
            if !autoApprove && !Self.confirm() {
                print("\nApply cancelled.")
                throw ExitCode(1)
            }
        }
        guard plan.hasChanges else { return }
        print("")
        let report: ApplyReport
        do {
            report = try await engine.apply(plan, actor: RunContext.actor(revisionFrom: paths), lockTimeout: lockWait.seconds) { change, index, total in
                print("[\(index)/\(total)] \(change.id): \(Self.progressVerb(change.action))")
                fflush(nil)
            }
        } catch let error as EngineError {
            Terminal.printError(terminal.red("error: ") + error.description)
            throw ExitCode(1)
        } catch let error as StoreError {
            var text = terminal.red("error: ") + error.description
            if case .locked(let lock) = error, lock.host == ProcessInfo.processInfo.hostName, lock.pid > 0, kill(pid_t(truncatingIfNeeded: lock.pid), 0) != 0, errno == ESRCH {
                text += "\n    hint: process \(lock.pid) on this host is no longer running, so the lock is stale"
            }
            Terminal.printError(text)
            throw ExitCode(1)
        }
        print("")
        if let lock = report.brokenStaleLock {
            print(terminal.yellow("note: ") + "broke stale lock \(lock.id) left by pid \(lock.pid) (\(lock.who)), which is no longer running")
        }
        for failure in report.failed {
            let message = failure.message.hasPrefix("\(failure.change.id)") ? failure.message : "\(failure.change.id): \(failure.message)"
            Terminal.printError(terminal.red("error: ") + message)
        }
        if !report.notAttempted.isEmpty {
            Terminal.printError("not attempted: " + report.notAttempted.map { "\($0.id)" }.joined(separator: ", "))
        }
        print(report.succeeded ? terminal.green(report.summaryLine) : terminal.red(report.summaryLine))
        if !report.deferred.isEmpty {
            let until = report.deferred.map(\.until).max().map(Timestamps.format) ?? "later"
            print(terminal.yellow("Deferred: ") + "\(report.deferred.count) template creation\(report.deferred.count == 1 ? "" : "s") over Meta's limit of "
                  + "\(engine.templateCreatesPerHour) per hour; run apply again after \(until) to finish: "
                  + report.deferred.map { "\($0.change.id)" }.joined(separator: ", "))
        }
        print(terminal.dim("Run \(report.runID); state serial \(report.serial)."))
        if !report.succeeded { throw ExitCode(1) }
        if wait {
            let ids = report.applied.filter { $0.id.kind == .template && $0.action != .delete && $0.inputs["stateOnly"] == nil }.map(\.id)
            try await waitForReview(engine, ids: ids, timeout: reviewWait.seconds)
        }
    }

    /// `--wait`: a table of Meta's verdicts; exit 1 when a template ended REJECTED or DISABLED,
    /// or is still PENDING at the timeout.
    func waitForReview(_ engine: Engine, ids: [ResourceID], timeout: Double) async throws {
        guard !ids.isEmpty else { return }
        let terminal = global.terminal
        print("\nWaiting for Meta's review of \(ids.count) template\(ids.count == 1 ? "" : "s") (timeout \(DurationValue(milliseconds: Int64(timeout * 1000))))...")
        fflush(nil)
        let records = try await Reporting.graphErrors { try await engine.waitForReview(of: ids, timeout: timeout) }
        var table = TextTable(["TEMPLATE", "STATUS", "REASON"])
        var bad: [String] = []
        for id in ids.sorted() {
            let record = records[id]
            let status = record?.status ?? "UNKNOWN"
            let reason = [record?.reason, record?.reasonDetail].compactMap { $0 }.joined(separator: ": ")
            table.add(["\(id)", status, reason])
            if ["REJECTED", "DISABLED", "PENDING", "UNKNOWN"].contains(status) { bad.append("\(id) \(status)\(reason.isEmpty ? "" : " (\(reason))")") }
        }
        print(table.render())
        guard bad.isEmpty else {
            Terminal.printError(terminal.red("error: ") + "not approved: " + bad.joined(separator: "; "))
            throw ExitCode(1)
        }
        print(terminal.green("All \(ids.count) templates approved."))
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
        case .adopt: return "adopting"
        case .pending: return "skipping"
        }
    }
}
