import BizOneModel
@testable import BizOneStore
import Foundation
import Testing

private func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.posixPermissions] as? Int) & 0o777
}

@Suite("The state file: who may read it, who creates it, and two openers at once")
struct StateFileTests {
    /// It holds phone numbers, names and message text.
    @Test func aNewStateFileItsWALAndSHMAndItsNewFolderAreOwnerOnly() throws {
        try TemporaryStore.withPath { path in
            let store = try StateStore(path: path)
            try Fixture.apply([Fixture.create(ResourceID(kind: .schedule, name: "weekly"), Fixture.schedule(cron: "0 9 * * 1"))], to: store)
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(FileManager.default.fileExists(atPath: file), "\(file) missing")
                #expect(try mode(file) == 0o600, "\(file)")
            }
            let folder = (path as NSString).deletingLastPathComponent
            #expect(try mode(folder) == 0o700)
            #expect(try mode((folder as NSString).deletingLastPathComponent) == 0o700, "every folder created for the file")
        }
    }

    @Test func anExistingFolderKeepsItsMode() throws {
        try TemporaryStore.withPath { path in
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            _ = try StateStore(path: path)
            #expect(try mode(folder) == 0o755)
            #expect(try mode(path) == 0o600)
        }
    }

    @Test func openingAnExistingStateNeverCreatesOne() throws {
        try TemporaryStore.withPath { path in
            #expect(throws: StoreError.self) { try StateStore.existing(path: path) }
            do {
                _ = try StateStore.existing(path: path)
            } catch StoreError.noState(let missing) {
                #expect(missing == path)
                #expect(StoreError.noState(path).description.hasPrefix("no state at \(path)"))
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))

            _ = try StateStore(path: path)
            let again = try StateStore.existing(path: path)
            #expect(try again.appliedMigrations() == StoreMigrations.migrator.migrations)
        }
    }

    @Test func anEmptyStateIsMigratedInMemoryWithNoLineageAndLeavesNoFile() throws {
        try TemporaryStore.withPath { path in
            let store = try StateStore.empty(path: path)
            #expect(store.path == path)
            #expect(try store.appliedMigrations() == StoreMigrations.migrator.migrations)
            let observed = try store.observedState()
            #expect(observed.lineage == ObservedState.noLineage)
            #expect(observed.serial == 0)
            #expect(observed.resources.isEmpty)
            #expect(try store.webhookEvents(after: 0, limit: 10, onlyAccepted: false).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))
        }
    }

    /// Two processes opening a new file at once: GRDB's migrator read "nothing applied" in both
    /// and the second failed with `table "state_meta" already exists`. Two pools in one process
    /// are two SQLite connections just like two processes (the CLI tests race real processes).
    @Test func twoOpenersOfANewFileBothSucceed() async throws {
        for round in 0..<20 {
            try await withFreshPath { path in
                async let first = Task.detached { try StateStore(path: path).info().lineage }.value
                async let second = Task.detached { try StateStore(path: path).info().lineage }.value
                let (a, b) = try await (first, second)
                #expect(a == b, "round \(round): two lineages for one file")
                #expect(try StateStore(path: path).appliedMigrations() == StoreMigrations.migrator.migrations)
            }
        }
    }

    @Test func anOlderFileIsUpgradedInOneStepAndAFileFromANewerBizoneIsRefused() throws {
        try TemporaryStore.withPath { path in
            _ = try StateStore(path: path, migratingUpTo: "v2-templates")
            let upgraded = try StateStore.existing(path: path)
            #expect(try upgraded.appliedMigrations() == StoreMigrations.migrator.migrations)
            try upgraded.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
            do {
                _ = try StateStore(path: path)
                Issue.record("a file from a newer bizone was opened")
            } catch StoreError.unsupportedSchema(let detail) {
                #expect(detail.contains("v99-future"))
            }
        }
    }
}

/// A fresh state path under its own temporary directory, removed afterwards.
private func withFreshPath(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-state-file-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("nested/state.db").path)
}
