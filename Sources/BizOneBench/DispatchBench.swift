import AsyncHTTPClient
import BizOneConfig
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaGraph

/// Campaign dispatch against `bizone emulator` run as its own process, so the emulator's
/// message log does not count in this process's memory: apply a pipeline with an N-row
/// audience, wait for the template's approval, then time one run of the real
/// `CampaignDispatcher` (outbox, rate bucket, result flushes) and sample this process's RSS
/// while it sends.
struct DispatchBench {
    struct Scenario {
        var label: String
        var recipients: Int
        /// Campaign and emulator rate in msg/s; nil: no limit on either side.
        var rate: Int?
    }

    struct Figures {
        var scenario: Scenario
        var accepted: Int
        var seconds: Double
        var rejected130429: Int
        var baselineMiB: Double
        var peakMiB: Double
        var emulatorPeakMiB: Double
        var perSecond: Double { Double(accepted) / seconds }
    }

    var emulatorBinary: String

    func run(_ scenario: Scenario) async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-dispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let emulator = try EmulatorProcess(binary: emulatorBinary, rate: scenario.rate)
        defer { emulator.stop() }
        print("  \(scenario.label): preparing \(scenario.recipients) recipients...", terminator: "")
        fflush(nil)
        try writePipeline(scenario, to: directory)

        var logger = Logger(label: "bench.dispatch")
        logger.logLevel = .warning
        setenv("BENCH_META_TOKEN", EmulatorProcess.token, 1)
        let loaded = PipelineLoader().load(paths: [directory.path])
        guard let desired = loaded.desired else { throw BenchError.invalid(loaded.diagnostics.errors.map(\.description)) }
        let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
        let graph = GraphClientConfiguration(baseURL: emulator.baseURL, businessAccountID: EmulatorProcess.account,
                                             phoneNumberID: EmulatorProcess.phone, accessToken: EmulatorProcess.token,
                                             messagesPerSecond: Double(scenario.rate ?? 1_000))
        let client = LiveGraphClient(configuration: graph, logger: logger)
        let engine = Engine(store: store, meta: MetaClients(clients: ["main": client]), logger: logger)
        let plan = try await engine.plan(desired: desired, options: PlanOptions(), refresh: true)
        _ = try await engine.apply(plan, actor: ApplyActor(who: "bench", revision: nil))
        _ = try await engine.waitForReview(of: [ResourceID(kind: .template, name: "bench_promo", language: "en_US")],
                                           timeout: 30, interval: 0.05)

        var configuration = CampaignDispatcher.Configuration()
        configuration.unlimitedRate = scenario.rate == nil
        let dispatcher = CampaignDispatcher(store: store, meta: MetaClients(live: ["main": client]),
                                            configuration: configuration, logger: logger)
        let run = try dispatcher.createManualRun(campaign: "bench")
        let sampler = MemorySampler()
        let baseline = MemorySampler.residentMiB()
        let sampling = Task { await sampler.sample(every: .milliseconds(50)) }
        print(" sending...", terminator: "")
        fflush(nil)
        let progress = ProgressLine(label: scenario.label, total: scenario.recipients)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = try await dispatcher.run(runID: run.id) { progress.update($0) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        sampling.cancel()
        let peak = await sampler.peak
        progress.finish(String(format: "%.2f s (%@)", seconds, "\(outcome)"))
        let counts = try store.campaignRunCounts(runID: run.id)
        let stats = try await emulator.stats()
        let accepted = [OutboxState.accepted, .sent, .delivered, .read].reduce(0) { $0 + (counts.byState[$1.rawValue] ?? 0) }
        return Figures(scenario: scenario, accepted: accepted,
                       seconds: seconds, rejected130429: stats.errors["130429"] ?? 0, baselineMiB: baseline,
                       peakMiB: max(peak, baseline), emulatorPeakMiB: emulator.peakMiB())
    }

    /// Integration, template, an N-row CSV audience and one campaign at the scenario's rate.
    private func writePipeline(_ scenario: Scenario, to directory: URL) throws {
        let rate = scenario.rate ?? 1_000
        let yaml = """
            apiVersion: bizone/v1
            kind: Integration
            metadata: {name: main}
            spec:
              businessAccountId: "\(EmulatorProcess.account)"
              phoneNumberId: "\(EmulatorProcess.phone)"
              defaultCountryCode: "62"
              accessToken: {env: BENCH_META_TOKEN}
              appSecret: {env: BENCH_META_TOKEN}
              verifyToken: {env: BENCH_META_TOKEN}
              throughput: {messagesPerSecond: \(rate)}
            ---
            apiVersion: bizone/v1
            kind: Template
            metadata: {name: bench_promo}
            spec:
              language: en_US
              category: MARKETING
              body: {text: "Hi {{1}}, your member code is ready. See you soon!", examples: {"1": "Siti"}}
            ---
            apiVersion: bizone/v1
            kind: Audience
            metadata: {name: everyone}
            spec:
              csv: {path: people.csv}
            ---
            apiVersion: bizone/v1
            kind: Campaign
            metadata: {name: bench}
            spec:
              template: {name: bench_promo, language: en_US}
              audience: everyone
              parameters: {"1": "{{contact.name}}"}
              throughput: {messagesPerSecond: \(rate)}
              retry: {maxAttempts: 3, backoff: 100ms}

            """
        try yaml.write(to: directory.appendingPathComponent("bench.yaml"), atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: directory.appendingPathComponent("people.csv").path, contents: nil)
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent("people.csv"))
        defer { try? handle.close() }
        var chunk = "phone,name\n"
        for index in 0..<scenario.recipients {
            chunk += "+62812\(String(format: "%08d", index)),Person \(index)\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }
}

enum BenchError: Error, CustomStringConvertible {
    case invalid([String])
    case emulator(String)
    case load(String)

    var description: String {
        switch self {
        case .load(let why): return "load: \(why)"
        case .invalid(let errors): return "bench pipeline is invalid: \(errors.joined(separator: "; "))"
        case .emulator(let why): return "emulator: \(why)"
        }
    }
}
