import BizOneModel
@testable import BizOneStore
import Foundation
import Testing
import TestSupport

private func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.posixPermissions] as? Int) & 0o777
}

@Suite("The state file: who may read it, who creates it, and two openers at once")
struct StateFileTests {
    /// It holds phone numbers, names and message text.
    @Test func aNewStateFileItsWALAndSHMAndItsNewFolderAreOwnerOnly() throws {
        try TemporaryStore.withPath { base in
            // Two folders BizOne creates: `nested/` and `inner/` (the temporary folder exists).
            let path = ((base as NSString).deletingLastPathComponent as NSString).appendingPathComponent("inner/state.db")
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
    /// and the second failed with `table "state_meta" already exists`. Separate pools are
    /// separate SQLite connections, as separate processes are (the CLI tests race real
    /// processes); the openers are released together from threads parked on one gate.
    @Test func severalOpenersOfANewFileAllSucceed() throws {
        var failures: [String] = []
        for round in 0..<20 {
            try TemporaryStore.withPath { (path) throws in
                let results = Self.openAtOnce(path, openers: 4)
                failures += results.compactMap { result in
                    if case .failure(let error) = result { return "round \(round): \(error)" }
                    return nil
                }
                let lineages = Set(results.compactMap { try? $0.get() })
                if lineages.count > 1 { failures.append("round \(round): \(lineages.count) lineages for one file") }
                #expect(try StateStore(path: path).appliedMigrations() == StoreMigrations.migrator.migrations)
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Opens `path` from `openers` threads released at the same moment; each result is the lineage.
    private static func openAtOnce(_ path: String, openers: Int) -> [Result<String, any Error>] {
        let gate = Gate(count: openers)
        for index in 0..<openers {
            Thread.detachNewThread {
                gate.waitForRelease()
                gate.finish(index, Result { try StateStore(path: path).info().lineage })
            }
        }
        gate.release()
        return gate.waitForAll()
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


/// Parks threads until `release`, then collects one result per thread.
private final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var released = false
    private var results: [Result<String, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func waitForRelease() {
        condition.lock()
        while !released { condition.wait() }
        condition.unlock()
    }

    func release() {
        condition.lock()
        released = true
        condition.broadcast()
        condition.unlock()
    }

    func finish(_ index: Int, _ result: Result<String, any Error>) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    func waitForAll() -> [Result<String, any Error>] {
        condition.lock()
        defer { condition.unlock() }
        while results.contains(where: { $0 == nil }) { condition.wait() }
        return results.compactMap { $0 }
    }
}
