import BizOneModel
import Foundation
import GRDB

/// The state file: one WAL database that many readers and one writer (holding the lock) share.
///
/// Synchronous by design: every call is a short local transaction, and the engine calls it
/// between remote calls so that state is written after each one (DESIGN.md §4).
public final class StateStore: Sendable {
    /// The state file's path as given.
    public let path: String
    let pool: DatabasePool

    /// How long a statement waits for another connection's write before failing with `.busy`.
    static let busyTimeout: TimeInterval = 5

    /// Creates parent directories, opens the pool (WAL, foreign keys on, busy timeout 5 s) and
    /// runs pending migrations. Refuses a file migrated by a newer bizone.
    public convenience init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// Like `init(path:)`, but stops after the migration named `lastMigration` (nil: all of
    /// them). Tests use it to build files as an older bizone left them.
    init(path: String, migratingUpTo lastMigration: String?) throws {
        self.path = path
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "BizOneState"
        pool = try StoreError.translating { try DatabasePool(path: path, configuration: configuration) }
        try StoreError.translating {
            let migrator = StoreMigrations.migrator
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(migrator.migrations)
            if !unknown.isEmpty {
                throw StoreError.unsupportedSchema("\(path) has migrations \(unknown.sorted().joined(separator: ", ")) that this version does not know")
            }
            if let lastMigration {
                try migrator.migrate(pool, upTo: lastMigration)
            } else {
                try migrator.migrate(pool)
            }
        }
    }

    /// Lineage, serial, the last run and the lock, read in one snapshot.
    public func info() throws -> StateInfo {
        try read { db in
            StateInfo(lineage: try MetaRow.lineage(db), serial: try MetaRow.serial(db),
                      lastRun: try ApplyRunRow.newestFirst().fetchOne(db)?.record,
                      lock: try LockRow.current(db)?.info)
        }
    }

    /// Names of the migrations applied to the file, in order (for readiness checks).
    public func appliedMigrations() throws -> [String] {
        try read { db in
            try StoreMigrations.migrator.appliedMigrations(db)
        }
    }

    /// The SQLite journal mode in force ("wal").
    public func journalMode() throws -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Whether foreign keys are enforced on the store's connections.
    public func foreignKeysEnabled() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.translating { try pool.read(body) }
    }

    /// One IMMEDIATE write transaction: it takes SQLite's write lock up front, so two processes
    /// never both read-then-write on stale snapshots.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.translating { try pool.write(body) }
    }
}
