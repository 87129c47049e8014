import BizOneModel
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing

/// Log lines captured from the client, to prove the token never reaches a log.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    func append(_ line: String) {
        lock.lock()
        storage.append(line)
        lock.unlock()
    }

    var logger: Logger {
        var logger = Logger(label: "test.metagraph") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        capture.append("\(level) \(message) \(merged)")
    }
}

/// An emulator on 127.0.0.1:0 with fast timing, and a client pointed at it.
struct Harness {
    static let token = "integration-token-\(UInt64.random(in: 1_000_000...9_999_999))-SECRET"

    let emulator: RunningEmulator
    let client: LiveGraphClient
    let logs: LogCapture

    static func start(limits: EmulatorLimits = EmulatorLimits(messagesPerSecond: 0, pairInterval: 0),
                      clientRate: Double = 10_000, retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: 0.05, maxDelay: 1, maxElapsed: 20),
                      token: String = Harness.token) async throws -> Harness {
        var configuration = EmulatorConfiguration(port: 0, accessToken: Harness.token, verifyToken: nil)
        configuration.limits = limits
        configuration.timing = EmulatorTiming(reviewDelay: 0.05, sentDelay: 0.01, deliveredDelay: 0.02, readDelay: 0.03)
        let emulator = try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
        let logs = LogCapture()
        let client = LiveGraphClient(
            configuration: GraphClientConfiguration(
                baseURL: emulator.baseURL, businessAccountID: configuration.businessAccountID,
                phoneNumberID: configuration.phoneNumberID, accessToken: token, requestTimeout: 60, retry: retry,
                messagesPerSecond: clientRate, pairLimit: PairLimit(burst: 1000, interval: 0.001)),
            logger: logs.logger)
        return Harness(emulator: emulator, client: client, logs: logs)
    }

    func stop() async { await emulator.stop() }

    /// Creates an approved positional template and waits for the review.
    func approvedTemplate(_ name: String, language: String = "en_US", body: String = "Hello {{1}}, your order ships today.") async throws -> String {
        let created = try await client.createTemplate(CreateTemplateRequest(
            name: name, language: language, category: "UTILITY",
            components: [TemplateComponent(type: "BODY", text: body, example: ComponentExample(bodyText: [["Siti"]]))]))
        try await waitFor { try await client.template(id: created.id, fields: ["status"]).status == "APPROVED" }
        return created.id
    }
}

/// Polls until `condition` holds, failing the test after `timeout` seconds.
func waitFor(timeout: Double = 5, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    Issue.record("condition not met within \(timeout) s")
}
