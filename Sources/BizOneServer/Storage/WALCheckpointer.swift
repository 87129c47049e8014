import BizOneStore
import Logging
import ServiceLifecycle

/// Checkpoints the state file's WAL every `interval` on its own connection, so commits never
/// do (`StateStore.checkpointInBackground()`, which the caller sets before starting this).
/// Stops on graceful shutdown; the store's last close checkpoints what is left.
public struct WALCheckpointer: Service {
    let store: StateStore
    let interval: Duration
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    public init(store: StateStore, interval: Duration = .milliseconds(250), logger: Logger,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.sleep = sleep
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    let store = self.store
                    let result = try await Blocking.run { try store.checkpoint() }
                    if failing { logger.info("WAL checkpoints resumed", metadata: ["wal_pages": "\(result.walPages)"]) }
                    failing = false
                } catch {
                    // A busy file or a full disk: the commit path does not depend on this, so
                    // say it once and keep trying.
                    if !failing { logger.warning("WAL checkpoint failed; will retry", metadata: ["error": "\(error)"]) }
                    failing = true
                }
                try await sleep(interval)
            }
        }
    }
}
