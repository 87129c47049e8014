import Foundation
import GRDB

/// The schema, as an append-only list of named migrations.
///
/// A migration that has landed is never edited: the state files in the field were built by it.
/// Change the schema by appending a new `registerMigration` with the next name ("v2-...").
enum StoreMigrations {
    typealias Step = (name: String, migrate: @Sendable (Database) throws -> Void)

    /// Every migration, in order. Append new ones at the end.
    static let steps: [Step] = [
        ("v1-foundation", v1Foundation),
        ("v2-templates", v2Templates),
        ("v3-events", v3Events),
        ("v4-audiences", v4Audiences),
        ("v4-campaigns", v4Campaigns),
        ("v5-senders", v5Senders),
        ("v6-early-template-events", v6EarlyTemplateEvents),
        ("v7-processing-marks", v7ProcessingMarks),
        ("v8-accounts", v8Accounts),
        ("v9-mail", v9Mail),
        ("v10-inbox-api", v10InboxAPI),
    ]

    /// The same steps as a GRDB migrator, for reading which ones a file has
    /// (`grdb_migrations`). Running them goes through `migrate(_:upTo:path:)`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps { migrator.registerMigration(step.name, migrate: step.migrate) }
        return migrator
    }

    /// Runs the steps a file lacks (up to and including `last`; nil: all of them) in ONE
    /// exclusive transaction that re-reads what is applied once it holds the write lock.
    ///
    /// GRDB's `DatabaseMigrator.migrate` reads the applied list before taking the lock and then
    /// runs each step in its own transaction, which is safe within one process only: two
    /// processes opening a new file at once both saw "nothing applied" and the second failed
    /// with `table "state_meta" already exists`. Here the second waits (busy timeout) for the
    /// first's commit, then finds everything applied and does nothing. Foreign keys are off
    /// during the steps and checked before the commit, as GRDB's deferred checks do.
    /// How long an opener waits for another one's migrations before giving up.
    static let migrationBusyTimeout: TimeInterval = 60

    static func migrate(_ writer: any DatabaseWriter, upTo last: String?, path: String) throws {
        let wanted = last.flatMap { name in steps.firstIndex { $0.name == name } }.map { Array(steps[...$0]) } ?? steps
        let known = Set(steps.map(\.name))
        try writer.barrierWriteWithoutTransaction { db in
            // Waiting for another opener's migrations is a one-off at start-up that may take
            // seconds on a loaded host; every later statement gets the usual busy timeout.
            try db.execute(sql: "PRAGMA busy_timeout = \(Int(migrationBusyTimeout * 1000))")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(StateStore.busyTimeout * 1000))") }
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            try db.inTransaction(.exclusive) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
                let unknown = applied.subtracting(known)
                if !unknown.isEmpty {
                    throw StoreError.unsupportedSchema("\(path) has migrations \(unknown.sorted().joined(separator: ", ")) that this version does not know")
                }
                for step in wanted where !applied.contains(step.name) {
                    try step.migrate(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [step.name])
                }
                try db.checkForeignKeys()
                return .commit
            }
        }
    }

    /// Lineage and serial, applied resources and the inventory, apply runs and their changes,
    /// the lock row, and the projections of roles, users, contacts and audience members.
    private static func v1Foundation(_ db: Database) throws {
        try db.create(table: "state_meta") { t in
            t.primaryKey("key", .text)
            t.column("value", .text).notNull()
        }
        try db.execute(
            sql: "INSERT INTO state_meta (key, value) VALUES (?, ?), (?, '0')",
            arguments: [MetaRow.lineageKey, UUID().uuidString.lowercased(), MetaRow.serialKey])

        try db.create(table: "resources") { t in
            t.primaryKey("id", .text)
            t.column("kind", .text).notNull().indexed()
            t.column("name", .text).notNull()
            t.column("language", .text)
            t.column("content", .text).notNull()
            t.column("content_hash", .text).notNull()
            t.column("applied_at", .text).notNull()
            t.column("apply_run_id", .text)
            t.column("revision", .text)
        }

        // Cascades from `resources`, so a deleted resource can never linger as "managed".
        try db.create(table: "inventory") { t in
            t.primaryKey("resource_id", .text).references("resources", onDelete: .cascade)
            t.column("created_at", .text).notNull()
            t.column("created_by_run", .text)
        }

        try db.create(table: "apply_runs") { t in
            t.primaryKey("id", .text)
            t.column("revision", .text)
            t.column("actor", .text).notNull()
            t.column("started_at", .text).notNull().indexed()
            t.column("finished_at", .text)
            t.column("outcome", .text).notNull()
            t.column("plan_serial", .integer).notNull()
            t.column("result_serial", .integer)
        }

        try db.create(table: "apply_changes") { t in
            t.column("run_id", .text).notNull().references("apply_runs", onDelete: .cascade)
            t.column("sequence", .integer).notNull()
            t.column("resource_id", .text).notNull().indexed()
            t.column("action", .text).notNull()
            t.column("outcome", .text).notNull()
            t.column("message", .text)
            t.primaryKey(["run_id", "sequence"])
        }

        try db.create(table: "state_lock") { t in
            t.primaryKey("slot", .integer).check(sql: "slot = 1")
            t.column("lock_id", .text).notNull()
            t.column("operation", .text).notNull()
            t.column("who", .text).notNull()
            t.column("pid", .integer).notNull()
            t.column("host", .text).notNull()
            t.column("created_at", .text).notNull()
        }

        try db.create(table: "roles") { t in
            t.primaryKey("name", .text)
            t.column("description", .text)
            t.column("permissions", .text).notNull()
        }

        try db.create(table: "users") { t in
            t.primaryKey("name", .text)
            // Emails are compared case-insensitively: Ana@x and ana@x are one person.
            t.column("email", .text).notNull().collate(.nocase).unique()
            t.column("display_name", .text).notNull()
            t.column("disabled", .boolean).notNull().defaults(to: false)
            t.column("teams", .text).notNull()
        }

        // A role held by a user cannot be deleted (no cascade): the engine deletes users first.
        try db.create(table: "user_roles") { t in
            t.column("user_name", .text).notNull().references("users", onDelete: .cascade)
            t.column("role_name", .text).notNull().references("roles").indexed()
            t.primaryKey(["user_name", "role_name"])
        }

        try db.create(table: "contacts") { t in
            t.primaryKey("phone", .text)
            t.column("name", .text)
            t.column("attributes", .text).notNull()
            t.column("tags", .text).notNull()
            t.column("opted_out", .boolean).notNull().defaults(to: false)
            t.column("opted_out_at", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }

        // The primary key (audience, phone) is the index on audience; the phone index serves
        // "which audiences hold this contact" and the foreign key check.
        try db.create(table: "audience_members") { t in
            t.column("audience", .text).notNull()
            t.column("phone", .text).notNull().references("contacts").indexed()
            t.primaryKey(["audience", "phone"])
        }
    }

    /// What the state remembers of templates at Meta: their id and last known status, the
    /// approved-edit and creation logs the quotas need, and a history.
    ///
    /// No foreign keys to `resources`: a status can arrive before (or in the same transaction
    /// as) the resource row, and these rows live until an explicit delete. `template_creates`
    /// and `template_history` outlive the template on purpose (hourly limit, `status`).
    private static func v2Templates(_ db: Database) throws {
        try db.create(table: "template_state") { t in
            t.primaryKey("resource_id", .text)
            t.column("template_id", .text).indexed()
            t.column("status", .text)
            t.column("category", .text)
            t.column("quality", .text)
            t.column("reason", .text)
            t.column("reason_detail", .text)
            t.column("applied_fingerprint", .text)
            t.column("status_changed_at", .text)
            t.column("updated_at", .text).notNull()
        }

        try db.create(table: "template_edits") { t in
            t.column("resource_id", .text).notNull()
            t.column("at", .text).notNull()
        }
        try db.create(index: "template_edits_on_resource_id_at", on: "template_edits", columns: ["resource_id", "at"])

        try db.create(table: "template_creates") { t in
            t.column("at", .text).notNull().indexed()
            t.column("resource_id", .text).notNull()
            t.column("template_id", .text)
        }

        try db.create(table: "template_history") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("resource_id", .text).notNull()
            t.column("at", .text).notNull()
            t.column("event", .text).notNull()
            t.column("status", .text)
            t.column("category", .text)
            t.column("quality", .text)
            t.column("reason", .text)
            t.column("detail", .text)
            t.column("source", .text).notNull()
        }
        try db.create(index: "template_history_on_resource_id_at", on: "template_history", columns: ["resource_id", "at"])
    }

    /// What `bizone serve` keeps: the raw webhook event log and the processing cursor, the
    /// message ledger with its transitions, chat contacts, conversations and inbound messages,
    /// the forward queue, and the round-robin cursors.
    ///
    /// Times bizone measures (received_at, processed_at, the forward queue) carry milliseconds
    /// (`Timestamps.formatMilliseconds`); times from Meta are whole seconds. No foreign keys: events
    /// arrive in any order (a status before its send, a replay after a purge), and the log is
    /// the source everything else is rebuilt from.
    private static func v3Events(_ db: Database) throws {
        try db.create(table: "webhook_events") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("received_at", .text).notNull().indexed()
            t.column("path", .text).notNull()
            t.column("body", .blob).notNull()
            t.column("body_hash", .text).notNull().unique()
            t.column("outcome", .text).notNull().check(sql: "outcome IN ('accepted', 'rejected')")
            t.column("reject_reason", .text)
            t.column("deliveries", .integer).notNull().defaults(to: 1)
            t.column("processed_at", .text)
            t.column("processing_error", .text)
        }
        // Counting by outcome and processing state without reading the bodies.
        try db.create(index: "webhook_events_on_outcome_processed_at", on: "webhook_events", columns: ["outcome", "processed_at"])
        try db.execute(sql: """
            CREATE INDEX webhook_events_failed ON webhook_events(id) WHERE processing_error IS NOT NULL
            """)

        try db.create(table: "processing_cursor") { t in
            t.primaryKey("slot", .integer).check(sql: "slot = 1")
            t.column("last_event_id", .integer).notNull()
        }
        try db.execute(sql: "INSERT INTO processing_cursor (slot, last_event_id) VALUES (1, 0)")

        try db.create(table: "messages") { t in
            t.primaryKey("wamid", .text)
            t.column("recipient_id", .text)
            t.column("recipient_user_id", .text)
            t.column("status", .text).notNull().indexed()
            t.column("status_rank", .integer).notNull()
            t.column("status_at", .text)
            t.column("callback_data", .text)
            t.column("error_code", .integer)
            t.column("error_title", .text)
            t.column("error_details", .text)
            t.column("pricing_category", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }

        try db.create(table: "message_transitions") { t in
            t.column("wamid", .text).notNull()
            t.column("status", .text).notNull()
            t.column("at", .text).notNull()
            t.column("event_id", .integer).notNull()
            t.column("late", .boolean).notNull().defaults(to: false)
            t.uniqueKey(["wamid", "status"])
        }

        // Neither identity is NOT NULL or unique (reference §15.2): a contact may be known only
        // by a BSUID, and a phone number may come back under a new BSUID.
        try db.create(table: "chat_contacts") { t in
            t.primaryKey("key", .text)
            t.column("wa_id", .text).indexed()
            t.column("user_id", .text).indexed()
            t.column("name", .text)
            t.column("phone", .text)
            t.column("last_inbound_at", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }

        try db.create(table: "conversations") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("contact_key", .text).notNull().unique()
            t.column("phone_number_id", .text).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('open', 'closed')")
            t.column("unread", .integer).notNull().defaults(to: 0)
            t.column("last_inbound_at", .text)
            t.column("last_message_at", .text)
            t.column("assigned_user", .text)
            t.column("assigned_team", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }
        try db.create(index: "conversations_on_status_last_message_at", on: "conversations", columns: ["status", "last_message_at"])
        try db.create(index: "conversations_on_assigned_user_status", on: "conversations", columns: ["assigned_user", "status"])

        try db.create(table: "inbound_messages") { t in
            t.primaryKey("wamid", .text)
            t.column("conversation_id", .integer).notNull()
            t.column("contact_key", .text).notNull()
            t.column("type", .text).notNull()
            t.column("text", .text)
            t.column("received_at", .text).notNull()
            t.column("raw", .text).notNull()
            t.column("event_id", .integer).notNull()
        }
        try db.create(index: "inbound_messages_on_conversation_id_received_at", on: "inbound_messages",
                      columns: ["conversation_id", "received_at"])

        try db.create(table: "forward_deliveries") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("event_id", .integer).notNull()
            t.column("route", .text).notNull()
            t.column("url", .text).notNull()
            t.column("secret_ref", .text).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('pending', 'delivered', 'dead')")
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("max_attempts", .integer).notNull()
            t.column("backoff_ms", .integer).notNull()
            t.column("next_attempt_at", .text).notNull()
            t.column("last_error", .text)
            t.column("created_at", .text).notNull()
            t.column("delivered_at", .text)
            t.uniqueKey(["event_id", "route"])
        }
        try db.create(index: "forward_deliveries_on_status_next_attempt_at", on: "forward_deliveries",
                      columns: ["status", "next_attempt_at"])

        try db.create(table: "forward_attempts") { t in
            t.column("delivery_id", .integer).notNull().indexed()
            t.column("at", .text).notNull()
            t.column("http_status", .integer)
            t.column("error", .text)
        }

        try db.create(table: "inbox_cursors") { t in
            t.primaryKey("team", .text)
            t.column("last_user", .text).notNull()
        }
    }
}
