import BizOneModel
import Foundation
import GRDB

/// What `/api/health/ready` asks of the state file.
extension StateStore {
    static let heartbeatKey = "heartbeat"

    /// A cheap write in a transaction: stamps the `heartbeat` row of `state_meta`. Throws
    /// (`.busy`, `.database`...) when the file cannot be written.
    public func checkWritable() throws {
        let stamp = Timestamps.formatMilliseconds(Date())
        try write { db in
            try db.cachedStatement(sql: """
                INSERT INTO state_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """).execute(arguments: [Self.heartbeatKey, stamp])
        }
    }

    /// Whether every migration this version knows is applied to the file.
    public func migrationsCurrent() throws -> Bool {
        try read { db in try StoreMigrations.migrator.hasCompletedMigrations(db) }
    }
}
