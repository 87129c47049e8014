import BizOneModel
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import Testing
import TestSupport

/// An emulator on 127.0.0.1:0 with fast timing, and a client pointed at it.
struct Harness {
    /// Distinctive, so a log line carrying it is easy to spot.
    static let token = "integration-token-7316054-SECRET"

    let emulator: RunningEmulator
    let client: LiveGraphClient
    let logs: LogCapture
    /// The time emulator and client share when the test runs them on manual time.
    let clock: ManualClock?

    /// With `manualTime`, the emulator's limits and the client's waits (Retry-After, backoff,
    /// pacing) share one `ManualClock`, which `concurrently` moves on only when every operation
    /// still running is asleep on it: what the test checks never depends on how fast the
    /// machine is. (The emulator's own timers, reviews and statuses, keep real time.)
    static func start(limits: EmulatorLimits = EmulatorLimits(messagesPerSecond: 0, pairInterval: 0),
                      clientRate: Double = 10_000, retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: 0.05, maxDelay: 1, maxElapsed: 20),
                      token: String = Harness.token, manualTime: Bool = false) async throws -> Harness {
        var configuration = EmulatorConfiguration(port: 0, accessToken: Harness.token, verifyToken: nil)
        configuration.limits = limits
        configuration.timing = EmulatorTiming(reviewDelay: 0.05, sentDelay: 0.01, deliveredDelay: 0.02, readDelay: 0.03)
        let clock = manualTime ? ManualClock() : nil
        var graphClock = GraphClock.continuous
        if let clock {
            configuration.clock = EmulatorClock(now: { clock.now }, sleep: EmulatorClock.system.sleep)
            graphClock = GraphClock(now: { clock.seconds }, sleep: { try await clock.sleep(seconds: $0) })
        }
        let emulator = try await MetaEmulator.start(configuration, logger: Logger(label: "test.emulator"))
        let logs = LogCapture()
        let jitter = Locked(SeededRandom(seed: 17))
        let client = LiveGraphClient(
            configuration: GraphClientConfiguration(
                baseURL: emulator.baseURL, businessAccountID: configuration.businessAccountID,
                phoneNumberID: configuration.phoneNumberID, accessToken: token, requestTimeout: 120, retry: retry,
                messagesPerSecond: clientRate, pairLimit: PairLimit(burst: 1000, interval: 0.001)),
            logger: logs.logger(label: "test.metagraph"), clock: graphClock,
            random: { jitter.withValue { $0.unit() } })
        return Harness(emulator: emulator, client: client, logs: logs, clock: clock)
    }

    func stop() async { await emulator.stop() }

    /// Creates an approved positional template and waits for the review.
    func approvedTemplate(_ name: String, language: String = "en_US", body: String = "Hello {{1}}, your order ships today.") async throws -> String {
        let created = try await client.createTemplate(CreateTemplateRequest(
            name: name, language: language, category: "UTILITY",
            components: [TemplateComponent(type: "BODY", text: body, example: ComponentExample(bodyText: [["Siti"]]))]))
        try await waitForApproval(created.id)
        return created.id
    }

    /// Waits for the review of template `id`.
    func waitForApproval(_ id: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        try await eventually("template \(id) to be APPROVED", sourceLocation: sourceLocation) {
            try await client.template(id: id, fields: ["status"]).status == "APPROVED"
        }
    }

    /// Runs `count` operations at once. On manual time, whenever every unfinished operation is
    /// asleep on the clock (waiting for a token or a retry), the clock moves to the earliest
    /// deadline: time passes only while nothing is in flight, as if the machine were infinitely fast.
    func concurrently(_ count: Int, _ operation: @escaping @Sendable (Int) async throws -> Void) async throws {
        let finished = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    defer { finished.withValue { $0 += 1 } }
                    try await operation(index)
                }
            }
            if let clock {
                group.addTask {
                    while finished.current < count, !Task.isCancelled {
                        await eventually("every unfinished operation asleep on the clock", longestPause: .milliseconds(2)) {
                            Task.isCancelled || finished.current + clock.sleeperCount >= count
                        }
                        if finished.current < count { clock.advanceToNextDeadline() }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
