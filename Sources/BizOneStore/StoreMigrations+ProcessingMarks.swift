import GRDB

extension StoreMigrations {
    /// Processing no longer rewrites every event row it finishes (issue 10): stamping
    /// `processed_at` on each 1.3 KB row wrote it to the WAL a second time and moved its entry
    /// in the `(outcome, processed_at)` index. An accepted event is processed when its id is at
    /// or before the cursor; only failures are still stamped on their row (with their error).
    ///
    /// - `processing_marks`: when processing had got how far, one row per second of processing
    ///   (the last batch of the second: its time and the cursor after it). An event's processing
    ///   time is that of the first mark reaching it, at most a second late and never before the
    ///   batch that processed it. Rows stamped before this migration keep their own time.
    static func v7ProcessingMarks(_ db: Database) throws {
        try db.create(table: "processing_marks") { t in
            t.primaryKey("second", .text)
            t.column("at", .text).notNull()
            t.column("last_event_id", .integer).notNull()
        }
        try db.create(index: "processing_marks_on_last_event_id", on: "processing_marks", columns: ["last_event_id"])
    }
}
