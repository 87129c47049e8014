import Logging

/// Captures every log line as text (message and metadata), to check what logs never contain.
final class LogCapture: Sendable {
    private let lines = Locked([String]())

    var all: [String] { lines.current }

    var logger: Logger {
        var logger = Logger(label: "test.server") { [lines] label in Handler(label: label, lines: lines) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let label: String
        let lines: Locked<[String]>
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.withValue { $0.append("\(event.level) \(event.message) \(rendered)") }
        }
    }
}
