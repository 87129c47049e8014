import ArgumentParser
import BizOneConfig
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import MetaGraph

struct ImportTemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Write one YAML file per template that exists at Meta but is neither declared nor in state. Nothing is recorded until you apply.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files or directories already declared (default: pipelines); their integration is used.")
    var paths: [String] = []

    @Option(name: .long, help: "Directory to write the files into (default: print the YAML).")
    var out: String?

    @Option(name: .long, help: "Integration to import from (default: the only one).")
    var integration: String?

    /// Statuses of templates that are on their way out at Meta and are not worth managing.
    static let skippedStatuses: Set<String> = ["DELETED", "PENDING_DELETION", "ARCHIVED"]

    func run() async throws {
        let logger = global.logger("bizone.import")
        let terminal = global.terminal
        let (desired, _) = try DesiredLoader.load(paths, terminal: terminal)
        let (name, spec) = try GraphConnection.integration(in: desired, named: integration)
        let client = LiveGraphClient(configuration: try GraphConnection.configuration(for: spec), logger: logger)
        let store = try StateAccess.existingOrEmpty(global)
        let managed = Set(try store.appliedResources().filter { $0.kind == .template }.map(\.id))
        let remote = try await Reporting.graphErrors { try await client.allTemplates() }
        let candidates = remote.filter { template in
            guard let found = TemplateFingerprint.remote(template) else { return false }
            return desired[found.id] == nil && !managed.contains(found.id) && !Self.skippedStatuses.contains(found.status)
        }
        let (imported, skipped) = TemplateImport.specs(from: candidates)
        for problem in skipped { Terminal.printError(terminal.yellow("warning: ") + "skipped \(problem)") }
        guard !imported.isEmpty else {
            print("Nothing to import: every template at Meta (\(remote.count)) is declared or managed.")
            return
        }
        let multiIntegration = GraphConnection.integrations(in: desired).count > 1
        var written: [(ResourceID, String)] = []
        if let out {
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let schema = Self.schemaReference(from: directory)
            for item in imported {
                var spec = item.spec
                if multiIntegration { spec.integration = name }
                let file = directory.appendingPathComponent(ResourceWriter.fileName(name: item.name, language: spec.language))
                try ResourceWriter.yaml(for: spec, name: item.name, labels: ["imported-from": "meta"], schemaComment: schema)
                    .write(to: file, atomically: true, encoding: .utf8)
                written.append((ResourceID(kind: .template, name: item.name, language: spec.language), file.path))
            }
            try verify(written.map(\.1), terminal: terminal)
            var table = TextTable(["TEMPLATE", "META ID", "FILE"])
            for (id, file) in zip(written, imported) { table.add(["\(id.0)", file.templateID, id.1]) }
            print(table.render())
            print("\nImported \(written.count) template\(written.count == 1 ? "" : "s") into \(out)"
                  + (skipped.isEmpty ? "" : " (\(skipped.count) skipped)") + ". Review them, then `bizone apply` records them (no request to Meta).")
        } else {
            for item in imported {
                print("---")
                print(ResourceWriter.yaml(for: item.spec, name: item.name, labels: ["imported-from": "meta"], schemaComment: nil), terminator: "")
            }
        }
    }

    /// The written files must load cleanly next to the declared ones; otherwise say where.
    private func verify(_ files: [String], terminal: Terminal) throws {
        let result = DesiredLoader.loader.load(paths: (paths.isEmpty ? DesiredLoader.defaultPaths : paths) + files)
        let errors = result.diagnostics.errors
        guard !errors.isEmpty else { return }
        DiagnosticPrinter.print(errors, terminal: terminal)
        Terminal.printError("error: the imported files do not validate; fix them before applying")
        throw ExitCode(1)
    }

    /// `# yaml-language-server` path from the output directory to the nearest `schemas/`.
    static func schemaReference(from directory: URL) -> String? {
        var candidate = directory.standardizedFileURL
        var hops = 0
        while hops < 12 {
            let schema = candidate.appendingPathComponent("schemas/template.schema.json")
            if FileManager.default.fileExists(atPath: schema.path) {
                return String(repeating: "../", count: hops) + "schemas/template.schema.json"
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
            hops += 1
        }
        return nil
    }
}
