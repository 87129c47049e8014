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
    /// A pool on the file; a queue in memory for `empty(path:)`.
    let pool: any DatabaseWriter
    /// `empty(path:)`: one connection, on which reads run as transactions (see `read`).
    private let inMemory: Bool

    /// How long a statement waits for another connection's write before failing with `.busy`.
    static let busyTimeout: TimeInterval = 5

    /// Opens the state file, creating it (owner-only, see `StateFile`) and its folders when
    /// missing, then runs pending migrations. Refuses a file migrated by a newer bizone. For
    /// commands that write; readers use `existing(path:)` or `empty(path:)`.
    public convenience init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// Like `init(path:)`, but stops after the migration named `lastMigration` (nil: all of
    /// them). Tests use it to build files as an older bizone left them.
    convenience init(path: String, migratingUpTo lastMigration: String?) throws {
        try StateFile.create(path)
        try self.init(opening: path, migratingUpTo: lastMigration)
    }

    /// An existing state file, never creating one: read-only commands must not leave a state
    /// file (or its folder) behind. Throws `StoreError.noState` when there is none. An older
    /// file is migrated like any open does, so readers see the current schema.
    public static func existing(path: String) throws -> StateStore {
        guard StateFile.exists(path) else { throw StoreError.noState(path) }
        return try StateStore(opening: path, migratingUpTo: nil)
    }

    /// A migrated, empty state in memory, for a reader whose state file does not exist yet
    /// (`plan` before the first apply). Its lineage is `ObservedState.noLineage`; nothing is
    /// ever written to disk.
    public static func empty(path: String) throws -> StateStore {
        try StateStore(inMemoryFor: path)
    }

    /// Opens a file that `StateFile.create` made or that already exists.
    private init(opening path: String, migratingUpTo lastMigration: String?) throws {
        self.path = path
        inMemory = false
        pool = try Self.openPool(path)
        try StoreError.translating { try StoreMigrations.migrate(pool, upTo: lastMigration, path: path) }
    }

    private init(inMemoryFor path: String) throws {
        self.path = path
        inMemory = true
        pool = try StoreError.translating { try DatabaseQueue(configuration: Self.configuration) }
        try StoreError.translating {
            try StoreMigrations.migrate(pool, upTo: nil, path: path)
            try pool.write { db in try MetaRow(key: MetaRow.lineageKey, value: ObservedState.noLineage).save(db) }
        }
    }

    /// Opening switches a new file to WAL, which needs SQLite's exclusive lock. When two
    /// processes open a new file at the same moment SQLite refuses one of them at once with
    /// SQLITE_BUSY instead of waiting (waiting could deadlock), so the open is tried again: the
    /// next try finds the file in WAL mode. Bounded, so a file held for good still fails.
    private static func openPool(_ path: String) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try StoreError.translating { try DatabasePool(path: path, configuration: configuration) }
            } catch StoreError.busy where attempt < 100 {
                attempt += 1
                Thread.sleep(forTimeInterval: Double(min(attempt, 10)) * 0.01)
            }
        }
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "BizOneState"
        return configuration
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
        // A queue's reads are query_only, which also refuses the temporary tables an audience
        // preview stages its rows in; a pool's readers allow them. In memory nothing is shared,
        // so a read there is simply a transaction on the one connection.
        try StoreError.translating { inMemory ? try pool.write(body) : try pool.read(body) }
    }

    /// One IMMEDIATE write transaction: it takes SQLite's write lock up front, so two processes
    /// never both read-then-write on stale snapshots.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.translating { try pool.write(body) }
    }
}
