import Foundation
import GRDB

extension StoreMigrations {
    /// Campaign runs, the per-recipient outbox and the scheduler's cursor.
    ///
    /// - `campaign_runs`: one row per run; UNIQUE(campaign, scheduled_for) so an occurrence
    ///   never runs twice (manual runs have no occurrence: NULLs are distinct). A lease
    ///   (holder, until) keeps two dispatchers off one run.
    /// - `outbox`: one row per (run, recipient), so a recipient is never queued twice in a run.
    ///   Times carry milliseconds (`Timestamps.formatMilliseconds`) so `next_attempt_at` compares as
    ///   text. The (run_id, state, next_attempt_at) index serves the claim and the counts.
    /// - `campaign_cursor`: the last occurrence time the scheduler looked at, per campaign.
    /// - an index on the ledger's (callback_data, recipient_id) for campaign messages, so a send
    ///   interrupted before its wamid was stored can be found again from its status webhook.
    static func v4Campaigns(_ db: Database) throws {
        try db.create(table: "campaign_runs") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("campaign", .text).notNull()
            t.column("trigger", .text).notNull().check(sql: "\"trigger\" IN ('schedule', 'manual')")
            t.column("scheduled_for", .text)
            t.column("status", .text).notNull()
                .check(sql: "status IN ('queued', 'running', 'paused', 'completed', 'cancelled', 'expired')")
            t.column("pause_reason", .text)
            t.column("pause_source", .text)
            t.column("created_at", .text).notNull()
            t.column("started_at", .text)
            t.column("finished_at", .text)
            t.column("recipients", .integer).notNull().defaults(to: 0)
            t.column("queued_all", .boolean).notNull().defaults(to: false)
            t.column("first_send_at", .text)
            t.column("last_send_at", .text)
            t.column("lease_holder", .text)
            t.column("lease_until", .text)
            t.uniqueKey(["campaign", "scheduled_for"])
        }
        try db.create(index: "campaign_runs_on_status", on: "campaign_runs", columns: ["status"])

        try db.execute(sql: """
            CREATE TABLE outbox (
              run_id INTEGER NOT NULL REFERENCES campaign_runs(id) ON DELETE CASCADE,
              phone TEXT NOT NULL,
              name TEXT,
              attributes TEXT NOT NULL DEFAULT '{}',
              state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed',
                                                   'skipped', 'unknown')),
              attempts INTEGER NOT NULL DEFAULT 0,
              wamid TEXT,
              error_code INTEGER,
              error_title TEXT,
              error_details TEXT,
              skip_reason TEXT,
              next_attempt_at TEXT,
              updated_at TEXT NOT NULL,
              PRIMARY KEY (run_id, phone)
            ) WITHOUT ROWID
            """)
        try db.execute(sql: "CREATE INDEX outbox_on_wamid ON outbox(wamid) WHERE wamid IS NOT NULL")
        try db.create(index: "outbox_on_run_id_state_next_attempt_at", on: "outbox", columns: ["run_id", "state", "next_attempt_at"])

        try db.create(table: "campaign_cursor") { t in
            t.primaryKey("campaign", .text)
            t.column("last_scheduled_for", .text).notNull()
        }

        try db.execute(sql: """
            CREATE INDEX messages_on_callback_data_recipient_id ON messages(callback_data, recipient_id)
            WHERE callback_data IS NOT NULL
            """)
    }
}
