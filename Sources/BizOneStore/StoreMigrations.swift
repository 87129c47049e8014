import Foundation
import GRDB

/// The schema, as an append-only list of named migrations.
///
/// A migration that has landed is never edited: the state files in the field were built by it.
/// Change the schema by appending a new `registerMigration` with the next name ("v2-...").
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation", migrate: v1Foundation)
        migrator.registerMigration("v2-templates", migrate: v2Templates)
        return migrator
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
}
