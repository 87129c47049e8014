import BizOneModel
@testable import BizOneStore
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
            #expect(try store.appliedMigrations() == StoreMigrations.migrator.migrations)
            // Append-only: the landed migrations come first, in their order.
            #expect(Array(try store.appliedMigrations().prefix(3)) == ["v1-foundation", "v2-templates", "v3-events"])
            #expect(try store.appliedMigrations().contains("v4-audiences"))

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

    @Test("v2 creates the template tables on a fresh file")
    func v2OnFreshFile() throws {
        try TemporaryStore.with { (store) throws in
            #expect(try store.appliedMigrations() == StoreMigrations.migrator.migrations)
            let id = ResourceID(kind: .template, name: "order_update", language: "en_US")
            #expect(try store.templateRecords().isEmpty)
            #expect(try store.templateCreates(since: .distantPast).isEmpty)
            #expect(try store.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "APPROVED", source: "sync", at: Fixture.t0)))
            #expect(try store.templateHistory(id).map(\.event) == ["status"])
        }
    }

    @Test("a file an older bizone left at v1 is upgraded to v2 and keeps its rows")
    func v2OnV1File() throws {
        try TemporaryStore.withPath { path in
            let schedule = ResourceID(kind: .schedule, name: "weekly")
            let lineage: String
            do {
                let old = try StateStore(path: path, migratingUpTo: "v1-foundation")
                #expect(try old.appliedMigrations() == ["v1-foundation"])
                #expect(throws: StoreError.self) { try old.templateRecords() }
                try Fixture.apply([Fixture.create(schedule, Fixture.schedule(cron: "0 9 * * 1"))], to: old)
                lineage = try old.info().lineage
            }

            let store = try StateStore(path: path)
            #expect(try store.appliedMigrations() == StoreMigrations.migrator.migrations)
            #expect(try store.info().lineage == lineage)
            #expect(try store.appliedResource(schedule)?.managed == true)
            let id = ResourceID(kind: .template, name: "order_update", language: "en_US")
            try store.recordApprovedEdit(id, at: Fixture.t1)
            #expect(try store.templateRecords()[id]?.approvedEdits == [Fixture.t1])
        }
    }

    @Test("a file an older bizone left at v2 is upgraded to v3 and keeps its rows")
    func v3OnV2File() throws {
        try TemporaryStore.withPath { path in
            let id = ResourceID(kind: .template, name: "order_update", language: "en_US")
            let lineage: String
            do {
                let old = try StateStore(path: path, migratingUpTo: "v2-templates")
                #expect(throws: StoreError.self) { try old.processingCursor() }
                #expect(try old.recordTemplateStatus(TemplateStatusUpdate(id: id, status: "APPROVED", source: "sync", at: Fixture.t0)))
                try old.optOut(phone: "+6281100000001", at: Fixture.t0)
                lineage = try old.info().lineage
            }
            let store = try StateStore(path: path)
            #expect(try store.appliedMigrations() == StoreMigrations.migrator.migrations)
            #expect(try store.info().lineage == lineage)
            #expect(try store.templateHistory(id).map(\.event) == ["status"])
            #expect(try store.isOptedOut(phone: "+6281100000001"))
            #expect(try store.processingCursor() == 0)
            #expect(try store.appendWebhookEvents([EventFixture.webhook(EventFixture.envelope(1))]).count == 1)
        }
    }

    @Test("events processed before v7 keep their stamp; later ones are processed by the cursor and a mark")
    func v7KeepsStamps() throws {
        try TemporaryStore.withPath { path in
            let ids: [Int64]
            do {
                let old = try StateStore(path: path, migratingUpTo: "v6-early-template-events")
                ids = try old.appendWebhookEvents((1...3).map { EventFixture.webhook(EventFixture.envelope($0)) })
                // What bizone before v7 did when it processed the first: stamp its row, move the cursor.
                try old.write { db in
                    try db.execute(sql: "UPDATE webhook_events SET processed_at = ? WHERE id = ?",
                                   arguments: [Timestamps.formatMilliseconds(Fixture.t0), ids[0]])
                    try db.execute(sql: "UPDATE processing_cursor SET last_event_id = ?", arguments: [ids[0]])
                }
            }
            let store = try StateStore(path: path)
            let at = Fixture.t1.addingTimeInterval(0.25)
            try store.markProcessed(upTo: ids[1], errors: [:], at: at)
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).map(\.processedAt) == [Fixture.t0, at, nil])
            #expect(try store.eventCounts().processed == 2)
            #expect(try store.eventBacklog() == 1)
        }
    }
}
