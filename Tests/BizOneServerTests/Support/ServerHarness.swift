import AsyncHTTPClient
import BizOneModel
import BizOneServer
import BizOneStore
import Foundation
import Logging
import MetaGraph
import Hummingbird
import Prometheus
import ServiceLifecycle
import Testing
import TestSupport

/// The real server on 127.0.0.1:0 in a ServiceGroup, over a real SQLite file in its own
/// temporary directory, with its own Prometheus registry.
struct ServerHarness: Sendable {
    static let appSecret = "bizone-test-app-secret"
    static let verifyToken = "bizone-test-verify-token"
    static let path = "/api/webhooks/whatsapp"

    let directory: URL
    let store: StateStore
    let registry: PrometheusCollectorRegistry
    let metrics: ServerMetrics
    let server: BizOneHTTPServer
    let port: Int
    let logs: LogCapture
    /// How many times the server called `onEventsAppended`.
    let wakeups: Locked<Int>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var writer: EventWriter { server.eventWriter }

    static func run(configure: (inout ServerConfiguration) -> Void = { _ in },
                    _ body: (ServerHarness) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "bizone-server")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try StateStore(path: temporary.path("state.db"))
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0,
            endpoints: [WebhookEndpoint(path: path, integration: "main", appSecret: appSecret, verifyToken: verifyToken)])
        configure(&configuration)
        let registry = PrometheusCollectorRegistry()
        let metrics = ServerMetrics(registry: registry)
        let logs = LogCapture()
        let wakeups = Locked(0)
        let server = BizOneHTTPServer(configuration: configuration, store: store, metrics: metrics, logger: logs.logger,
                                      onEventsAppended: { wakeups.withValue { $0 += 1 } })

        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: try server.services(onRunning: { portContinuation.yield($0) }),
                                                      logger: logs.logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw HarnessError(message: "the server stopped before listening")
        }
        let harness = ServerHarness(directory: directory, store: store, registry: registry, metrics: metrics, server: server,
                                    port: port, logs: logs, wakeups: wakeups)
        do {
            try await body(harness)
        } catch {
            await group.triggerGracefulShutdown()
            try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
        // Whatever the test did, no log line carries a secret.
        for line in logs.all {
            #expect(!line.contains(appSecret), "log line carries the app secret: \(line)")
            #expect(!line.contains(verifyToken), "log line carries the verify token: \(line)")
        }
    }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    enum Signature {
        case valid
        case none
        case header(String)
    }

    func get(_ pathAndQuery: String) async throws -> Reply {
        try await send(HTTPClientRequest(url: baseURL + pathAndQuery))
    }

    /// POSTs `body` to the webhook path, signed with the app secret unless told otherwise.
    func post(_ body: Data, signature: Signature = .valid, path: String = ServerHarness.path,
              client: HTTPClient = .shared) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        switch signature {
        case .valid: request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body, secret: Self.appSecret))
        case .none: break
        case .header(let value): request.headers.add(name: WebhookSignature.header, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request, client: client)
    }

    func send(_ request: HTTPClientRequest, client: HTTPClient = .shared) async throws -> Reply {
        let response = try await client.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                     body: Data(buffer.readableBytesView))
    }

    // MARK: - State

    /// Every row of the event log, rejected ones included.
    func events() throws -> [StoredWebhookEvent] {
        try store.webhookEvents(since: nil, ids: nil, limit: nil)
    }

    /// `/metrics` as text.
    func scrape() async throws -> String {
        try await get("/metrics").text
    }

    /// The value of the sample `name` (with its labels as written, e.g. `{outcome="accepted"}`), nil when absent.
    static func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
