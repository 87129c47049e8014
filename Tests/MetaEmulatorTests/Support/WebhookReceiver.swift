import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport

/// A second Hummingbird app on 127.0.0.1:0 standing in for BizOne's webhook endpoint: answers
/// the GET handshake, records every POST (raw bytes and headers) and can fail on purpose.
final class WebhookReceiver: Sendable {
    struct Post: Sendable {
        var body: Data
        var signature: String?
        var contentType: String?
    }

    actor Log {
        var posts: [Post] = []
        var handshakes: [[String: String]] = []
        /// "GET" and "POST" in arrival order.
        var sequence: [String] = []
        var failuresLeft = 0
        var verifyToken: String

        init(verifyToken: String) { self.verifyToken = verifyToken }

        func record(_ post: Post) -> Bool {
            sequence.append("POST")
            if failuresLeft > 0 {
                failuresLeft -= 1
                return false
            }
            posts.append(post)
            return true
        }

        func recordHandshake(_ query: [String: String]) -> String? {
            sequence.append("GET")
            handshakes.append(query)
            guard query["hub.mode"] == "subscribe", query["hub.verify_token"] == verifyToken else { return nil }
            return query["hub.challenge"]
        }

        func failNext(_ count: Int) { failuresLeft = count }
    }

    let log: Log
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/webhook" }

    private init(log: Log, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.log = log
        self.port = port
        self.group = group
        self.task = task
    }

    static func start(verifyToken: String = "emulator-verify-token") async throws -> WebhookReceiver {
        let log = Log(verifyToken: verifyToken)
        let router = Router()
        router.get("webhook") { request, _ -> Response in
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            guard let challenge = await log.recordHandshake(query) else { return Response(status: .forbidden) }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: challenge)))
        }
        router.post("webhook") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 4 << 20)
            let post = Post(body: Data(buffer.readableBytesView), signature: request.headers[.init("X-Hub-Signature-256")!],
                            contentType: request.headers[.contentType])
            return Response(status: await log.record(post) ? .ok : .internalServerError)
        }
        let port = Promise<Int>()
        let quiet = Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.fulfill(channel.localAddress?.port ?? 0) }, logger: quiet)
        // Stopped by graceful shutdown, never by cancelling the serving task: NIO traps when a
        // connection accepted just then is dropped unserved (apple/swift-nio#3481).
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await group.run() }
        return WebhookReceiver(log: log, port: try await port.value("the receiver's port"), group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    var posts: [Post] { get async { await log.posts } }
}
