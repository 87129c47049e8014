import AsyncHTTPClient
import Foundation
import Logging
import MetaEmulator
import MetaGraph
import NIOCore

/// Sends against the emulator over loopback HTTP: raw client speed, the emulator's own speed,
/// and a paced campaign-like run at a configured rate.
struct MetaBench {
    var sends: Int
    var concurrency: Int
    var pacedRate: Double

    struct Figures {
        var label: String
        var sends: Int
        var seconds: Double
        var rejected130429: Int
        var perSecond: Double { Double(sends) / seconds }
    }

    func run() async throws -> [Figures] {
        var figures: [Figures] = []
        figures.append(try await clientRun(label: "client -> emulator, no limit, concurrency \(concurrency)", emulatorRate: 0, clientRate: 1_000_000))
        figures.append(try await rawRun())
        figures.append(try await clientRun(label: "paced at \(Int(pacedRate)) msg/s (emulator limit \(Int(pacedRate)))",
                                           emulatorRate: pacedRate, clientRate: pacedRate))
        return figures
    }

    private func startEmulator(rate: Double) async throws -> RunningEmulator {
        var configuration = EmulatorConfiguration(port: 0, verifyToken: nil)
        configuration.limits.messagesPerSecond = rate
        configuration.limits.pairInterval = 0
        configuration.timing.reviewDelay = 0.01
        var logger = Logger(label: "bench.emulator")
        logger.logLevel = .warning
        return try await MetaEmulator.start(configuration, logger: logger)
    }

    private func client(for emulator: RunningEmulator, rate: Double) -> LiveGraphClient {
        var logger = Logger(label: "bench.client")
        logger.logLevel = .warning
        return LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: emulator.configuration.businessAccountID,
            phoneNumberID: emulator.configuration.phoneNumberID, accessToken: emulator.configuration.accessToken,
            retry: .none, messagesPerSecond: rate, pairLimit: PairLimit(burst: 1_000_000, interval: 0.000_001)), logger: logger)
    }

    private func approvedTemplate(_ client: LiveGraphClient) async throws {
        let created = try await client.createTemplate(CreateTemplateRequest(
            name: "bench_update", language: "en_US", category: "UTILITY",
            components: [TemplateComponent(type: "BODY", text: "Hello {{1}}, your order ships today.",
                                           example: ComponentExample(bodyText: [["Siti"]]))]))
        while try await client.template(id: created.id, fields: ["status"]).status != "APPROVED" {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    private func recipient(_ index: Int) -> String { "+62812\(String(format: "%08d", index))" }

    private func clientRun(label: String, emulatorRate: Double, clientRate: Double) async throws -> Figures {
        print("  \(label)...", terminator: "")
        fflush(nil)
        let emulator = try await startEmulator(rate: emulatorRate)
        let client = client(for: emulator, rate: clientRate)
        try await approvedTemplate(client)
        let start = DispatchTime.now().uptimeNanoseconds
        try await forEach(sends) { index in
            _ = try? await client.send(.template(to: recipient(index), name: "bench_update", language: "en_US",
                                                 components: [SendComponent(type: "body", parameters: [.text("Siti")])]))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let stats = await emulator.control.stats()
        await emulator.stop()
        print(String(format: " %.2f s", seconds))
        return Figures(label: label, sends: stats.sendsAccepted, seconds: seconds, rejected130429: stats.errors["130429"] ?? 0)
    }

    /// Pre-encoded bodies straight through AsyncHTTPClient: the emulator's speed without the client's work.
    private func rawRun() async throws -> Figures {
        let label = "emulator alone (raw HTTP, concurrency \(concurrency))"
        print("  \(label)...", terminator: "")
        fflush(nil)
        let emulator = try await startEmulator(rate: 0)
        try await approvedTemplate(client(for: emulator, rate: 1_000_000))
        let url = "\(emulator.baseURL)/v23.0/\(emulator.configuration.phoneNumberID)/messages"
        let token = emulator.configuration.accessToken
        let bodies = try (0..<sends).map { index in
            try MetaJSON.encode(SendMessageRequest.template(to: recipient(index), name: "bench_update", language: "en_US",
                                                            components: [SendComponent(type: "body", parameters: [.text("Siti")])]))
        }
        let start = DispatchTime.now().uptimeNanoseconds
        try await forEach(sends) { index in
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bodies[index]))
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let stats = await emulator.control.stats()
        await emulator.stop()
        print(String(format: " %.2f s", seconds))
        return Figures(label: label, sends: stats.sendsAccepted, seconds: seconds, rejected130429: stats.errors["130429"] ?? 0)
    }

    /// Runs `body` for 0..<count with at most `concurrency` in flight.
    private func forEach(_ count: Int, _ body: @escaping @Sendable (Int) async -> Void) async throws {
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(concurrency, count) {
                let index = next
                group.addTask { await body(index) }
                next += 1
            }
            while await group.next() != nil {
                if next < count {
                    let index = next
                    group.addTask { await body(index) }
                    next += 1
                }
            }
        }
    }
}
