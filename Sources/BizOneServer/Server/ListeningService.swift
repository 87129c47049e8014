import ServiceLifecycle
import Synchronization

/// Runs the Hummingbird application and turns a failure before it listens (a taken port, an
/// unknown host) into a `ListenError` naming host and port, instead of NIO's
/// `bind(descriptor:ptr:bytes:)` text. Errors after it listened pass through unchanged.
struct ListeningService: Service {
    /// Set once the server listens (from `onServerRunning`).
    final class Started: Sendable {
        private let flag = Atomic(false)
        func set() { flag.store(true, ordering: .releasing) }
        var isSet: Bool { flag.load(ordering: .acquiring) }
    }

    let application: any Service
    let host: String
    let port: Int
    let started: Started

    func run() async throws {
        do {
            try await application.run()
        } catch where !started.isSet && !(error is CancellationError) {
            throw ListenError(host: host, port: port, underlying: error)
        }
    }
}
