import ServiceLifecycle

/// Runs a long-lived loop (the event processor, the forward dispatcher, the status poller) as a
/// service: cancelled on graceful shutdown, so the group stops it after the HTTP server.
public struct LoopService: Service {
    let name: String
    let body: @Sendable () async throws -> Void

    public init(_ name: String, body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.body = body
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}
