import Foundation
import Hummingbird
import Logging

/// `bizone-bench --plain-endpoint`: the ceiling for the webhook bench. A Hummingbird 2 server
/// with default settings whose one route reads the body and answers 200, in its own process
/// like `bizone serve`, so both are loaded and measured the same way.
enum PlainEndpoint {
    static func run() async throws {
        var logger = Logger(label: "bench.plain")
        logger.logLevel = .critical
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            return .ok
        }
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in
                                          print("plain endpoint listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)")
                                          fflush(nil)
                                      }, logger: logger)
        try await application.runService()
    }
}
