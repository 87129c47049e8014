import ArgumentParser
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Refresh the stored status, quality, category and rejection reason of every template from Meta; changes nothing at Meta.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files or directories with the integrations (default: the integrations in the state file).")
    var paths: [String] = []

    func run() async throws {
        let logger = global.logger("bizone.sync")
        let store = try StateStore(path: global.statePath)
        let integrations = paths.isEmpty
            ? try GraphConnection.integrations(in: store)
            : GraphConnection.integrations(in: try DesiredLoader.load(paths, terminal: global.terminal).0)
        let meta = GraphConnection.clients(for: integrations, logger: logger)
        guard !meta.isEmpty else {
            let why = meta.unavailable.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
            Terminal.printError("error: no integration can reach Meta" + (why.isEmpty ? "" : " (\(why))"))
            throw ExitCode(1)
        }
        let engine = Engine.forCommand(store: store, meta: meta, logger: logger)
        let changed = try await Reporting.graphErrors { try await engine.sync() }
        let records = try store.templateRecords()
        print("Synced \(records.count) template\(records.count == 1 ? "" : "s") from Meta; \(changed.count) changed.")
        guard !changed.isEmpty else { return }
        var table = TextTable(["TEMPLATE", "STATUS", "QUALITY", "REASON"])
        for id in changed {
            let record = records[id]
            table.add(["\(id)", record?.status ?? "-", record?.quality ?? "-", record?.reason ?? ""])
        }
        print(table.render())
    }
}
