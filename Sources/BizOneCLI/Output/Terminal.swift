import Foundation

/// Colors when writing to a terminal, plain text otherwise (and with --no-color or NO_COLOR).
struct Terminal: Sendable {
    var color: Bool

    static var supportsColor: Bool {
        if ProcessInfo.processInfo.environment["NO_COLOR"] != nil { return false }
        return isatty(STDOUT_FILENO) != 0
    }

    func green(_ text: String) -> String { paint(text, "32") }
    func yellow(_ text: String) -> String { paint(text, "33") }
    func red(_ text: String) -> String { paint(text, "31") }
    func bold(_ text: String) -> String { paint(text, "1") }
    func dim(_ text: String) -> String { paint(text, "2") }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func printError(_ text: String) {
        // The throwing write: the plain one traps when stderr is closed or a broken pipe.
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }
}
