import GRDB

extension StoreMigrations {
    /// One sender per phone number, whatever process sends (issue 9 §3).
    ///
    /// - `sender_leases`: who sends for a phone number now (holder `host|pid|token`), until when.
    ///   A process takes the lease before it sends campaign messages for the number and renews
    ///   it while it does; another process waits until it is free or expired, so the number's
    ///   rate holds across processes (and, later, servers on one database).
    /// - an index on `messages(created_at)`: the sends of the last 24 hours, for the messaging
    ///   limit a foreground run checks before it starts.
    static func v5Senders(_ db: Database) throws {
        try db.create(table: SenderLeaseRow.databaseTableName) { t in
            t.primaryKey("phone_number_id", .text)
            t.column("holder", .text).notNull()
            t.column("acquired_at", .text).notNull()
            t.column("expires_at", .text).notNull()
        }
        try db.create(index: "messages_on_created_at", on: "messages", columns: ["created_at"])
    }
}
