import Foundation
import Hummingbird
import Logging

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
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/webhook" }

    private init(log: Log, port: Int, task: Task<Void, any Error>) {
        self.log = log
        self.port = port
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
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return WebhookReceiver(log: log, port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    var posts: [Post] { get async { await log.posts } }
}
