import ArgumentParser
import BizOneModel

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files (YAML, schema, Meta's template rules, references) without touching state.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files or directories to read (default: pipelines).")
    var paths: [String] = []

    func run() throws {
        _ = global.logger("bizone.validate")
        let terminal = global.terminal
        let (desired, _) = try DesiredLoader.load(paths, terminal: terminal)
        let counts = ResourceKind.allCases.compactMap { kind -> String? in
            let count = desired.resources(of: kind).count
            return count == 0 ? nil : "\(count) \(kind.rawValue)\(count == 1 ? "" : "s")"
        }
        print(terminal.green("Valid:") + " \(desired.count) resources (\(counts.joined(separator: ", "))).")
    }
}
