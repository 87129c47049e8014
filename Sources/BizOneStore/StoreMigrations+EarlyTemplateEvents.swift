import GRDB

extension StoreMigrations {
    /// Template webhooks that arrive before the apply that created the template has recorded
    /// it (Meta can review in well under a second; the apply commits after Meta's answer).
    ///
    /// - `early_template_events`: one observation (status, quality or category) about Meta's
    ///   template id, from one webhook event, kept until an apply records a template with that
    ///   id; then it is applied in the same transaction and removed. Unique per (event, change)
    ///   so a replayed event parks nothing twice.
    static func v6EarlyTemplateEvents(_ db: Database) throws {
        try db.create(table: EarlyTemplateEventRow.databaseTableName) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("template_id", .text).notNull()
            t.column("event_id", .integer).notNull()
            t.column("change", .text).notNull()
            t.column("status", .text)
            t.column("category", .text)
            t.column("quality", .text)
            t.column("reason", .text)
            t.column("reason_detail", .text)
            t.column("at", .text).notNull()
            t.column("received_at", .text).notNull()
            t.uniqueKey(["event_id", "change"])
        }
        try db.create(index: "early_template_events_on_template_id", on: EarlyTemplateEventRow.databaseTableName, columns: ["template_id"])
    }
}
