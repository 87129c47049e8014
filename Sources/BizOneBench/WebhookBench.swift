import AsyncHTTPClient
import BizOneEngine
import BizOneModel
import BizOneServer
import BizOneStore
import Foundation
import Synchronization
import Hummingbird
import Logging
import MetaGraph
import NIOCore
import Prometheus

/// Webhook ingest: signed events accepted and made durable per second at 64 connections,
/// beside a plain Hummingbird endpoint that only answers 200, in the same run; then how fast
/// the processor applies the statuses.
struct WebhookBench {
    var events: Int
    var concurrency: Int

    struct Figures {
        var plainPerSecond: Double
        var ingestPerSecond: Double
        var processedPerSecond: Double
        var batches: Int
        var stored: Int
    }

    static let secret = "bench-app-secret"

    func run() async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-webhook-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "bench.webhooks")
        logger.logLevel = .critical  // cancelling the servers at the end logs expected shutdown errors
        let bodies = (0..<events).map { index in
            Data(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100100","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.bench-\#(index)","status":"delivered","timestamp":"1764400000","recipient_id":"6281234567890"}]}}]}]}"#.utf8)
        }
        let signatures = bodies.map { WebhookSignature.sign($0, secret: Self.secret) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            timeout: .init(connect: .seconds(60), read: .seconds(60)),
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))

        // 1. A plain endpoint: the ceiling of this machine and client.
        print("  plain Hummingbird endpoint...", terminator: "")
        fflush(nil)
        let plainRouter = Router()
        plainRouter.post("/hook") { request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            return .ok
        }
        let plainPort = Port()
        let plain = Application(router: plainRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                onServerRunning: { plainPort.set($0.localAddress?.port ?? 0) }, logger: logger)
        let plainTask = Task { try await plain.runService() }
        try await plainPort.wait()
        let plainSeconds = try await post(bodies, signatures, to: "http://127.0.0.1:\(plainPort.value)/hook", client: client)
        plainTask.cancel()
        print(String(format: " %.2f s", plainSeconds))

        // 2. The real receiver: signature check, envelope check, group commit into SQLite.
        print("  bizone webhook receiver (signed, durable before 200)...", terminator: "")
        fflush(nil)
        let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
        let server = BizOneHTTPServer(
            configuration: ServerConfiguration(port: 0, endpoints: [WebhookEndpoint(integration: "main", appSecret: Self.secret, verifyToken: nil)]),
            store: store, metrics: ServerMetrics(registry: PrometheusCollectorRegistry()), logger: logger)
        let serverPort = Port()
        let services = server.services { serverPort.set($0) }
        let serverTask = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services { group.addTask { try await service.run() } }
                try await group.waitForAll()
            }
        }
        try await serverPort.wait()
        let ingestSeconds = try await post(bodies, signatures, to: "http://127.0.0.1:\(serverPort.value)/api/webhooks/whatsapp", client: client)
        serverTask.cancel()
        let batches = await server.eventWriter.batchesWritten
        print(String(format: " %.2f s", ingestSeconds))

        // 3. Processing: statuses applied per second from the stored log.
        print("  processing the event log...", terminator: "")
        fflush(nil)
        let processor = EventProcessor(store: store, logger: logger)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await processor.processAll()
        let processSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: " %.2f s", processSeconds))
        try await client.shutdown()
        let stored = try store.eventCounts().accepted
        return Figures(plainPerSecond: Double(events) / plainSeconds, ingestPerSecond: Double(events) / ingestSeconds,
                       processedPerSecond: Double(stored) / processSeconds, batches: batches, stored: stored)
    }

    /// Posts every body with at most `concurrency` in flight; returns the seconds taken.
    private func post(_ bodies: [Data], _ signatures: [String], to url: String, client: HTTPClient) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let failures = Counter()
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func add(_ index: Int) {
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: WebhookSignature.header, value: signatures[index])
                    request.body = .bytes(ByteBuffer(bytes: bodies[index]))
                    do {
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 16)
                        if response.status != .ok { failures.increment() }
                    } catch {
                        failures.increment()
                    }
                }
            }
            while next < min(concurrency, bodies.count) { add(next); next += 1 }
            while await group.next() != nil {
                if next < bodies.count { add(next); next += 1 }
            }
        }
        if failures.value > 0 { print(" (\(failures.value) failed)", terminator: "") }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

final class Port: Sendable {
    private let port = Mutex(0)
    var value: Int { port.withLock { $0 } }
    func set(_ value: Int) { port.withLock { $0 = value } }
    func wait() async throws {
        for _ in 0..<500 where value == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
