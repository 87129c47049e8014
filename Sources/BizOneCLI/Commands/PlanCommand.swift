import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change. Exit codes: 0 no changes, 1 error, 2 changes (with --detailed-exitcode).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: PlanFlags

    @Argument(help: "Files or directories to read (default: pipelines).")
    var paths: [String] = []

    @Flag(name: .long, help: "Print the plan document as JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Write the plan document to this file, for a later `bizone apply FILE`.")
    var out: String?

    @Flag(name: .long, help: "Exit 2 when the plan has changes, 0 when it has none.")
    var detailedExitcode = false

    func run() async throws {
        let logger = global.logger("bizone.plan")
        let terminal = global.terminal
        let (desired, _) = try DesiredLoader.load(paths, terminal: terminal)
        let engine = Engine.forCommand(store: try StateAccess.existingOrEmpty(global),
                            meta: GraphConnection.clients(for: GraphConnection.integrations(in: desired), logger: logger), logger: logger)
        let plan = try await Reporting.graphErrors { try await engine.plan(desired: desired, options: try flags.options(), refresh: flags.refresh) }
        DiagnosticPrinter.print(plan.diagnostics, terminal: terminal)
        if let out {
            try PlanDocument.write(plan, to: out)
        }
        if json {
            print(String(decoding: try PlanDocument.encode(plan), as: UTF8.self))
        } else {
            print(PlanRenderer(terminal: terminal).render(plan))
            if let out { print("\nSaved the plan to \(out). Apply exactly this plan with: bizone apply \(out)") }
        }
        if plan.diagnostics.hasErrors { throw ExitCode(1) }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}

/// Saved plans: `bizone plan --out FILE` writes one, `bizone apply FILE` reads it.
enum PlanDocument {
    static func encode(_ plan: Plan) throws -> Data {
        try plan.document()
    }

    /// Owner-only (0600): a plan holds audiences' inline contacts.
    static func write(_ plan: Plan, to path: String) throws {
        try PrivateFile.write(try encode(plan), to: path)
    }

    /// A saved plan, or nil when the file is not one (so it is read as YAML instead).
    static func read(_ path: String) -> Plan? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              !path.hasSuffix(".yaml"), !path.hasSuffix(".yml"),
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? Plan(document: data)
    }
}
