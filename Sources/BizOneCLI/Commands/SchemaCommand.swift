import ArgumentParser
import BizOneModel
import Foundation

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write the JSON Schema of every kind (for editors and CI), generated from the model.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Directory to write the schema files into (default: print the combined schema).")
    var out: String?

    @Flag(name: .long, help: "With --out: do not write; exit 1 when the files differ from the generated ones.")
    var check = false

    func run() throws {
        let files = try JSONSchemaExport.files()
        guard let out else {
            print(String(decoding: files[JSONSchemaExport.combinedFileName] ?? Data(), as: UTF8.self), terminator: "")
            return
        }
        let directory = URL(fileURLWithPath: out)
        var stale: [String] = []
        if !check { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.contents(atPath: url.path) == data { continue }
            stale.append(name)
            if !check { try data.write(to: url, options: .atomic) }
        }
        if check {
            if stale.isEmpty { print("Schemas in \(out) are up to date.") ; return }
            Terminal.printError("out of date in \(out): \(stale.joined(separator: ", ")); run bizone schema --out \(out)")
            throw ExitCode(1)
        }
        print("Wrote \(stale.count) of \(files.count) schema files to \(out) (\(files.count - stale.count) unchanged).")
    }
}
