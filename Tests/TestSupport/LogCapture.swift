import Logging

/// Captures every log line as text (level, message and metadata sorted by key), so a test can
/// check what a component logged, and above all what it never logs (secrets).
public final class LogCapture: Sendable {
    private let lines = Locked([String]())

    public init() {}

    /// Every line so far, in order.
    public var all: [String] { lines.current }

    /// Whether any line contains `text`.
    public func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }

    /// A logger writing into this capture at `level` (trace by default: everything).
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { [lines] label in Handler(label: label, lines: lines) }
        logger.logLevel = level
        return logger
    }

    /// `logger(label:level:)` with the defaults.
    public var logger: Logger { logger() }

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
            var merged = metadataProvider?.get() ?? [:]
            merged.merge(metadata) { $1 }
            merged.merge(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.append("\(event.level) \(event.message) \(rendered)")
        }
    }
}
