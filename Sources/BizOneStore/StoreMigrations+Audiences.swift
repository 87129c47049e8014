import GRDB

extension StoreMigrations {
    /// What each audience's last import read (rows, valid, invalid, duplicates, members, opted
    /// out), so `audience show` and the plan can report it without the CSV. One row per
    /// audience, replaced by each import, removed with the audience's members.
    static func v4Audiences(_ db: Database) throws {
        try db.create(table: "audience_imports") { t in
            t.primaryKey("audience", .text)
            t.column("rows", .integer).notNull()
            t.column("valid", .integer).notNull()
            t.column("invalid", .integer).notNull()
            t.column("duplicates", .integer).notNull()
            t.column("members", .integer).notNull()
            t.column("opted_out", .integer).notNull()
            t.column("imported_at", .text).notNull()
        }
    }
}
