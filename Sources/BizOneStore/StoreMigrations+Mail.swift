import GRDB

extension StoreMigrations {
    /// The security e-mail outbox (issue 11): a mail is queued in the transaction that records
    /// its security event, so an event that happened is an e-mail that will go, whichever
    /// server delivers it.
    ///
    /// - `kind`: which mail (`SecurityMailKind`), rendered at delivery from the event and the
    ///   user as declared then.
    /// - `sealed_secret`: the one-time token a reset e-mail carries, sealed with serve's secret
    ///   key (never in clear); cleared when the mail is delivered or given up.
    /// - `claimed_until`: a server that took the mail for delivery holds it until then, so two
    ///   servers on one state do not both send it; a crashed server's claim runs out.
    /// - `expires_at`: past it the mail is pointless (the token in it has expired) and is
    ///   given up instead of sent.
    static func v9Mail(_ db: Database) throws {
        try db.create(table: "mail_outbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull()
            t.column("recipient", .text).notNull()
            t.column("user_name", .text).indexed()
            t.column("event_id", .integer)
            t.column("sealed_secret", .text)
            t.column("created_at", .text).notNull()
            t.column("expires_at", .text)
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("next_attempt_at", .text).notNull()
            t.column("claimed_until", .text)
            t.column("delivered_at", .text)
            t.column("failed_at", .text)
            t.column("last_error", .text)
        }
        try db.create(index: "mail_outbox_due", on: "mail_outbox", columns: ["delivered_at", "failed_at", "next_attempt_at"])
    }
}
