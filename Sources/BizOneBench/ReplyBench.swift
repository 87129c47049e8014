import BizOneConfig
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph

/// Replies per second through the pacer, against the emulator: `replies` customers write in
/// (the emulator opens their 24-hour windows), an agent's text reply to each is queued in the
/// state, and the real `ReplyDispatcher` sends them through the integration's paced client at
/// `rate` msg/s (the emulator enforces the same limit).
struct ReplyBench {
    var replies: Int
    var rate: Double

    func run() async throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-reply-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = EmulatorConfiguration(port: 0, verifyToken: nil)
        configuration.limits.messagesPerSecond = rate
        configuration.limits.pairInterval = 0
        var logger = Logger(label: "bench.replies")
        logger.logLevel = .warning
        let emulator = try await MetaEmulator.start(configuration, logger: logger)
        defer { Task { await emulator.stop() } }

        setenv("BENCH_REPLY_TOKEN", emulator.configuration.accessToken, 1)
        setenv("BENCH_REPLY_SECRET", "bench-secret", 1)
        try """
            apiVersion: bizone/v1
            kind: Integration
            metadata:
              name: main
            spec:
              businessAccountId: "\(emulator.configuration.businessAccountID)"
              phoneNumberId: "\(emulator.configuration.phoneNumberID)"
              accessToken: {env: BENCH_REPLY_TOKEN}
              appSecret: {env: BENCH_REPLY_SECRET}
              verifyToken: {env: BENCH_REPLY_SECRET}
              throughput: {messagesPerSecond: \(Int(rate))}

            """.write(to: directory.appendingPathComponent("integration.yaml"), atomically: true, encoding: .utf8)
        let loaded = PipelineLoader().load(paths: [directory.path])
        guard let desired = loaded.desired else { throw BenchError.invalid(loaded.diagnostics.errors.map(\.description)) }
        let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
        let engine = Engine(store: store, logger: logger)
        _ = try await engine.apply(try engine.plan(desired: desired, options: PlanOptions()), actor: ApplyActor(who: "bench", revision: nil))

        print("  \(replies) customers write in...", terminator: "")
        fflush(nil)
        var batch: [(InboundMessageEvent, Int64)] = []
        for index in 0..<replies {
            let phone = "+62812\(String(7_000_000 + index))"
            let result = try await emulator.control.inbound(InboundRequest(from: phone, name: "Customer \(index)", text: "halo"))
            batch.append((InboundMessageEvent(wamid: result.id, waID: String(phone.dropFirst()), userID: nil, profileName: "Customer \(index)",
                                              phoneNumberID: emulator.configuration.phoneNumberID, at: Date(), type: "text", text: "halo",
                                              raw: .object([:])), Int64(index + 1)))
        }
        let outcomes = try store.recordInbound(batch: batch)
        for outcome in outcomes {
            _ = try store.queueReply(conversationID: outcome.conversationID, author: "bench", content: .text("Terima kasih, kami cek."), at: Date())
        }
        let client = LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: emulator.configuration.businessAccountID,
            phoneNumberID: emulator.configuration.phoneNumberID, accessToken: emulator.configuration.accessToken,
            messagesPerSecond: rate, pairLimit: PairLimit(burst: 1_000_000, interval: 0.000_001)), logger: logger)
        let dispatcher = ReplyDispatcher(store: store, meta: MetaClients(live: ["main": client]), logger: logger)
        print(" sending...", terminator: "")
        fflush(nil)
        let started = ContinuousClock.now
        var accepted = 0, failed = 0
        while accepted + failed < replies {
            let round = try await dispatcher.sendDue()
            accepted += round.accepted
            failed += round.failed
            if round.accepted + round.failed == 0 { break }
        }
        let seconds = (ContinuousClock.now - started).milliseconds / 1000
        print(String(format: " %.1f s", seconds))
        return ["\(replies) text replies at \(Int(rate)) msg/s", String(format: "%.0f replies/s", Double(accepted) / seconds),
                String(format: "%.0f %% of the rate", Double(accepted) / seconds / rate * 100), "\(accepted) accepted, \(failed) failed"]
    }
}
