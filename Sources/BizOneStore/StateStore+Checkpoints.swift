import Foundation
import GRDB

/// WAL checkpoints off the write path, for `bizone serve`.
///
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that
/// commit copies every page of the log into the database file before it returns, while every
/// webhook of the next group commit waits (perf under load: a tenth of serve's CPU, on the
/// writer's path). A server calls `checkpointInBackground()` once and then `checkpoint()`
/// from a loop of its own: a PASSIVE checkpoint on a connection of its own, which copies what
/// no reader still needs while the writer goes on, and lets the writer start the log over.
extension StateStore {
    /// Stops the store's writer from checkpointing at commit. Only for a process that calls
    /// `checkpoint()` regularly: without it the WAL grows until the store is closed.
    public func checkpointInBackground() throws {
        guard !inMemory else { return }
        try StoreError.translating {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
    }

    /// Copies the WAL's committed pages into the database file without waiting for the writer
    /// or blocking it (PASSIVE). Returns the log's size in pages and how many of them are now
    /// in the database file (all, unless a reader still uses older ones).
    @discardableResult
    public func checkpoint() throws -> WALCheckpoint {
        guard !inMemory else { return WALCheckpoint(walPages: 0, checkpointedPages: 0) }
        return try StoreError.translating {
            try checkpointConnection.withLock { connection in
                if connection == nil {
                    var configuration = Configuration()
                    configuration.busyMode = .timeout(Self.busyTimeout)
                    configuration.label = "BizOneState.checkpoints"
                    connection = try DatabaseQueue(path: path, configuration: configuration)
                }
                guard let connection else { return WALCheckpoint(walPages: 0, checkpointedPages: 0) }
                let result = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                return WALCheckpoint(walPages: max(0, result.walFrameCount), checkpointedPages: max(0, result.checkpointedFrameCount))
            }
        }
    }
}

/// What one `StateStore.checkpoint()` found and did, in pages.
public struct WALCheckpoint: Sendable, Hashable {
    public var walPages: Int
    public var checkpointedPages: Int

    public init(walPages: Int, checkpointedPages: Int) {
        self.walPages = walPages
        self.checkpointedPages = checkpointedPages
    }
}
