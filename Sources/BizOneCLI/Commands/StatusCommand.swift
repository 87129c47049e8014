import ArgumentParser
import BizOneModel
import BizOneStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the state holds and how healthy it is.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON for CI.")
    var json = false

    @Argument(help: "One resource to show in detail, with its history (e.g. template/welcome@en_US).")
    var resource: String?

    func run() throws {
        _ = global.logger("bizone.status")
        let store = try StateAccess.existing(global)
        if let resource {
            guard let id = ResourceID(parsing: resource) else {
                throw ValidationError("\(resource): expected kind/name (templates: template/name@language)")
            }
            try ResourceDetail.show(id, store: store, json: json, terminal: global.terminal)
            return
        }
        let report = try StatusReport.build(store: store)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(terminal: global.terminal))
        }
    }
}
