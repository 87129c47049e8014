import Dispatch

/// Runs synchronous store calls (GRDB blocks its thread) off Swift's cooperative pool, so a
/// slow disk never starves the request handlers.
enum Blocking {
    static let queue = DispatchQueue(label: "bizone.server.store", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
