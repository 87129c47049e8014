import Foundation
import Testing
import TestSupport

/// A real SMTP server for the tests: `scripts/test/smtp_sink.py` (aiosmtpd) run by the Python of
/// the venv that `make test` makes (`.venv`, from `scripts/test/requirements.txt`). Every
/// accepted message is a file the test reads back.
final class SMTPSink: @unchecked Sendable {
    let process = Process()
    let port: Int
    let directory: TemporaryDirectory
    let output: ProcessOutput
    private let input = Pipe()

    static var python: String {
        ProcessInfo.processInfo.environment["BIZONE_TEST_PYTHON"]
            ?? Workspace.packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the sink and returns once it listens. `port` 0 picks a free one.
    init(port: Int = 0, user: String? = nil, password: String? = nil) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Unavailable(description: "no test Python at \(Self.python): run make test, which makes .venv with aiosmtpd")
        }
        directory = try TemporaryDirectory(prefix: "bizone-smtp")
        process.executableURL = URL(fileURLWithPath: Self.python)
        var arguments = [Workspace.packageRoot.appendingPathComponent("scripts/test/smtp_sink.py").path, directory.path("mail"),
                         "--port", String(port)]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        // The sink exits when this pipe closes, so a crashed test leaves no server behind.
        process.standardInput = input
        output = ProcessOutput(out)
        try process.run()
        let line = try await output.line(containing: "listening ")
        guard let bound = line.split(separator: " ").last.flatMap({ Int($0) }) else {
            throw Unavailable(description: "the SMTP sink said: \(output.text)")
        }
        self.port = bound
    }

    /// The messages accepted so far, oldest first (raw RFC 5322 text, envelope lines first).
    func messages() -> [String] {
        let folder = directory.path("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// Waits for a message to `recipient` whose subject contains `subject`, and returns it.
    func message(to recipient: String, subject: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let found = Locked<String?>(nil)
        await eventually("an e-mail to \(recipient) about \"\(subject)\"", sourceLocation: sourceLocation) {
            let match = messages().first { $0.contains("X-Envelope-To: \(recipient)\r\n") && $0.contains("Subject: \(subject)") }
            found.withValue { $0 = match }
            return match != nil
        }
        return try #require(found.withValue { $0 }, sourceLocation: sourceLocation)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
    }

    /// Stops it and waits until it exited (its port is free again).
    func stopped() async {
        stop()
        await process.exited()
    }

    deinit {
        stop()
        directory.remove()
    }

    /// A Mailer for this sink, as YAML.
    static func mailerYAML(port: Int, username: String? = nil) -> String {
        var text = """
            apiVersion: bizone/v1
            kind: Mailer
            metadata:
              name: security-mail
            spec:
              host: 127.0.0.1
              port: \(port)
              security: none
              from: security@bizone.example
              fromName: BizOne Security
              consoleURL: https://console.bizone.example

            """
        if let username { text += "  username: \(username)\n  password: {env: SMTP_PASSWORD}\n" }
        return text
    }
}
