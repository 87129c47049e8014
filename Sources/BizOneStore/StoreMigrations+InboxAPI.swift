import GRDB

extension StoreMigrations {
    /// The team's inbox (issue 12).
    ///
    /// - `conversations` is rebuilt: `status` becomes open, pending, resolved or snoozed (a
    ///   closed one is resolved) with `snoozed_until`; a new inbound message reopens any;
    ///   `routed_by` is the WebhookRoute that assigned it.
    /// - `replies`: what agents send, stored before it is sent (`queued` → `sending` →
    ///   `accepted` with Meta's wamid, or `failed` with Meta's code and title); the ledger
    ///   (`messages`, callback data `reply:<id>`) carries its later statuses.
    /// - `conversation_notes`: internal notes with their @mentions (JSON array of user names),
    ///   never sent.
    /// - `conversation_labels`: labels on conversations.
    /// - `conversation_reads`: when each agent last read a conversation; their unread count is
    ///   the inbound messages after it.
    /// - `read_receipts`: Meta's read receipt (`status: read`) for an inbound message an agent
    ///   read, queued for the sender (`queued`, then `sent` or `failed`).
    /// - `contact_opt_changes`: a contact opted out or back in by hand, by whom and when.
    /// - `sla_breaches`: each SLA target a conversation missed, once (by its due time), with when
    ///   it was found and whether its escalation ran.
    static func v10InboxAPI(_ db: Database) throws {
        try db.create(table: "conversations_v10") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("contact_key", .text).notNull().unique()
            t.column("phone_number_id", .text).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('open', 'pending', 'resolved', 'snoozed')")
            t.column("snoozed_until", .text)
            t.column("unread", .integer).notNull().defaults(to: 0)
            t.column("last_inbound_at", .text)
            t.column("last_message_at", .text)
            t.column("assigned_user", .text)
            t.column("assigned_team", .text)
            t.column("routed_by", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }
        try db.execute(sql: """
            INSERT INTO conversations_v10 (id, contact_key, phone_number_id, status, unread, last_inbound_at, last_message_at,
                                           assigned_user, assigned_team, created_at, updated_at)
            SELECT id, contact_key, phone_number_id, CASE status WHEN 'closed' THEN 'resolved' ELSE 'open' END, unread,
                   last_inbound_at, last_message_at, assigned_user, assigned_team, created_at, updated_at
            FROM conversations
            """)
        try db.drop(table: "conversations")
        try db.rename(table: "conversations_v10", to: "conversations")
        try db.create(index: "conversations_on_status_last_message_at", on: "conversations", columns: ["status", "last_message_at"])
        try db.create(index: "conversations_on_assigned_user_status", on: "conversations", columns: ["assigned_user", "status"])
        try db.create(index: "conversations_on_last_message_at", on: "conversations", columns: ["last_message_at", "id"])
        try db.create(index: "conversations_on_updated_at", on: "conversations", columns: ["updated_at"])

        try db.create(table: "replies") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("conversation_id", .integer).notNull().indexed()
            t.column("author", .text).notNull()
            t.column("kind", .text).notNull().check(sql: "kind IN ('text', 'template')")
            t.column("text", .text)
            t.column("template_name", .text)
            t.column("template_language", .text)
            t.column("parameters", .text)
            t.column("state", .text).notNull().check(sql: "state IN ('queued', 'sending', 'accepted', 'failed')")
            t.column("wamid", .text).indexed()
            t.column("error_code", .integer)
            t.column("error_title", .text)
            t.column("created_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }
        try db.create(table: "conversation_notes") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("conversation_id", .integer).notNull().indexed()
            t.column("author", .text).notNull()
            t.column("body", .text).notNull()
            t.column("mentions", .text).notNull()
            t.column("created_at", .text).notNull()
        }
        try db.create(table: "conversation_labels") { t in
            t.column("conversation_id", .integer).notNull()
            t.column("label", .text).notNull().indexed()
            t.primaryKey(["conversation_id", "label"])
        }
        try db.create(table: "read_receipts") { t in
            t.primaryKey("wamid", .text)
            t.column("phone_number_id", .text).notNull()
            t.column("state", .text).notNull().check(sql: "state IN ('queued', 'sent', 'failed')")
            t.column("error", .text)
            t.column("created_at", .text).notNull()
        }
        try db.create(table: "contact_opt_changes") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("phone", .text).notNull().indexed()
            t.column("opted_out", .boolean).notNull()
            t.column("by", .text).notNull()
            t.column("at", .text).notNull()
        }
        try db.create(table: "sla_breaches") { t in
            t.column("conversation_id", .integer).notNull()
            t.column("sla", .text).notNull()
            t.column("target", .text).notNull()
            t.column("due_at", .text).notNull()
            t.column("found_at", .text).notNull()
            t.column("escalated", .boolean).notNull().defaults(to: false)
            t.primaryKey(["conversation_id", "sla", "target", "due_at"])
        }
        try db.create(table: "conversation_reads") { t in
            t.column("conversation_id", .integer).notNull()
            t.column("user_name", .text).notNull()
            t.column("read_at", .text)
            t.primaryKey(["conversation_id", "user_name"])
        }
    }
}
