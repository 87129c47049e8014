import ArgumentParser
import Foundation
import Logging

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "State file (default: $BIZONE_STATE or .bizone/state.db).")
    var state: String?

    @Flag(name: .long, help: "Disable colored output.")
    var noColor = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    var statePath: String {
        if let state { return state }
        if let env = ProcessInfo.processInfo.environment["BIZONE_STATE"], !env.isEmpty { return env }
        return ".bizone/state.db"
    }

    var terminal: Terminal { Terminal(color: !noColor && Terminal.supportsColor) }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func logger(_ label: String) -> Logger {
        LoggingSetup.bootstrap(level: Logger.Level(rawValue: logLevel.lowercased()) ?? .warning)
        return Logger(label: label)
    }
}
