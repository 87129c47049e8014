import ArgumentParser
import BizOneModel
import Foundation
import Logging
import MetaGraph

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check an Integration end to end: secrets, token, phone number, business account, webhook.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files or directories to read (default: pipelines).")
    var paths: [String] = []

    @Option(name: .long, help: "Integration to check (default: the only one).")
    var integration: String?

    @Option(name: .long, help: "Also check that this webhook URL answers Meta's verification handshake.")
    var webhookURL: String?

    @Option(name: .long, help: "How long each call to Meta (and the handshake) may take, e.g. 10s or 2m.")
    var timeout: String = "10s"

    func run() async throws {
        guard let callTimeout = DurationValue(parsing: timeout), callTimeout.seconds > 0, callTimeout.seconds <= 3_600 else {
            throw ValidationError("--timeout \(timeout): use a duration such as 10s or 2m")
        }
        let logger = global.logger("bizone.doctor")
        let terminal = global.terminal
        let (desired, _) = try DesiredLoader.load(paths, terminal: terminal)
        let (name, spec) = try GraphConnection.integration(in: desired, named: integration)
        var doctor = Doctor(integration: spec, webhookURL: webhookURL, requestTimeout: callTimeout.seconds, logger: logger)
        let results = await doctor.run()
        print("Integration \(name) at \(GraphConnection.baseURL(for: spec))/\(spec.graph.version)\n")
        var table = TextTable(["CHECK", "RESULT", "DETAIL"])
        for result in results {
            table.add([result.check, result.outcome.rawValue, result.detail])
        }
        print(table.render())
        let failed = results.filter { $0.outcome == .fail }
        print("")
        if failed.isEmpty {
            print(terminal.green("All checks passed."))
        } else {
            print(terminal.red("\(failed.count) check\(failed.count == 1 ? "" : "s") failed: ") + failed.map(\.check).joined(separator: ", "))
            throw ExitCode(1)
        }
    }
}
