import BizOneModel
import BizOneStore
import Foundation
import Testing

@Suite("Opening and migrating the state file")
struct MigrationTests {
    @Test("a new file is created under missing directories, in WAL mode, with foreign keys and a lineage")
    func createsFile() throws {
        try TemporaryStore.withPath { path in
            #expect(!FileManager.default.fileExists(atPath: path))
            let store = try StateStore(path: path)
            #expect(store.path == path)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try store.journalMode() == "wal")
            #expect(try store.foreignKeysEnabled())
            #expect(try store.appliedMigrations() == ["v1-foundation"])

            let info = try store.info()
            #expect(UUID(uuidString: info.lineage) != nil)
            #expect(info.lineage == info.lineage.lowercased())
            #expect(info.serial == 0)
            #expect(info.lastRun == nil)
            #expect(info.lock == nil)
        }
    }

    @Test("reopening keeps the lineage; another file gets another lineage")
    func lineageIsStable() throws {
        try TemporaryStore.withPath { path in
            let first = try StateStore(path: path).info().lineage
            let again = try StateStore(path: path).info().lineage
            #expect(first == again)
            let other = try TemporaryStore.with { try $0.info().lineage }
            #expect(other != first)
        }
    }

    @Test("a file that is not SQLite is refused as corrupt")
    func refusesGarbage() throws {
        try TemporaryStore.withPath { path in
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(String(repeating: "not a database ", count: 200).utf8).write(to: url)
            do {
                _ = try StateStore(path: path)
                Issue.record("opening garbage succeeded")
            } catch let error as StoreError {
                guard case .corrupt = error else {
                    Issue.record("expected .corrupt, got \(error)")
                    return
                }
            }
        }
    }
}
