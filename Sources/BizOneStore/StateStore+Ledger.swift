import BizOneModel
import Foundation
import GRDB

/// The message ledger (reference §14): statuses move a message forward only, whatever order
/// and however often they arrive.
extension StateStore {
    /// Applies one status:
    /// - the same (wamid, status) seen before changes nothing: `.duplicate`;
    /// - a status ranked above the current one becomes the status: `.advanced`;
    /// - a lower-ranked one is kept as a late transition, the message does not move: `.stale`;
    /// - `failed` records its error and becomes the status unless delivered, read or played is
    ///   already there (then only the error is recorded): `.advanced` either way; after a
    ///   failure only delivered, read or played move the message;
    /// - a wamid without a row gets one (the send may be recorded later).
    ///
    /// Two statements: the transition insert (which also decides "late"), then the upsert.
    public func applyMessageStatus(_ event: MessageStatusEvent, eventID: Int64) throws -> MessageStatusOutcome {
        let now = Timestamps.format(Date())
        return try write { db in try Ledger.apply(event, eventID: eventID, now: now, db) }
    }

    /// `applyMessageStatus` for many statuses in ONE transaction, outcomes in the same order.
    /// Later items see earlier ones (a duplicate inside the batch is `.duplicate`).
    public func applyMessageStatuses(_ items: [(MessageStatusEvent, Int64)]) throws -> [MessageStatusOutcome] {
        guard !items.isEmpty else { return [] }
        let now = Timestamps.format(Date())
        return try write { db in
            try items.map { event, eventID in try Ledger.apply(event, eventID: eventID, now: now, db) }
        }
    }

    public func message(wamid: String) throws -> MessageRecord? {
        try read { db in
            try MessageRow.one(db.cachedStatement(sql: "SELECT \(Ledger.columns) FROM messages WHERE wamid = ?"), [wamid],
                               table: "messages")?.record()
        }
    }

    /// Every status the message went through, once each, in the order of their times.
    public func messageTransitions(wamid: String) throws -> [MessageTransition] {
        try read { db in
            try MessageTransitionRow.all(db.cachedStatement(sql: """
                SELECT wamid, status, at, late, event_id FROM message_transitions WHERE wamid = ? ORDER BY at, rowid
                """), [wamid], table: "message_transitions").map { try $0.transition(of: wamid) }
        }
    }

    /// How many messages are in each status.
    public func messageStatusCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for group in try GroupCountRow<String>.all(db.cachedStatement(sql: """
                SELECT status AS key, COUNT(*) AS count FROM messages GROUP BY status
                """), table: "messages") {
                counts[group.key] = group.count
            }
            return counts
        }
    }
}

enum Ledger {
    static let failed = "failed"

    /// The rank the ledger orders by. `failed` ranks with `sent`: it takes over from accepted
    /// and sent, and only delivered, read or played move past it (reference §14).
    static func rank(_ status: String) -> Int {
        status == failed ? MessageStatusRank.of("sent") : MessageStatusRank.of(status)
    }

    /// Whether the incoming status takes over from the stored one, in SQL. `?1` is the
    /// incoming status, `?2` its rank; `m` the stored row. A failure wins ties (it ends "sent").
    static let moves = "(CASE WHEN ?1 = 'failed' THEN m.status_rank <= ?2 ELSE ?2 > m.status_rank END)"

    /// Inserts the transition unless (wamid, status) is known; `late` says whether it will not
    /// become the message's status. No row returned: a duplicate.
    static let transitionSQL = """
        INSERT OR IGNORE INTO message_transitions (wamid, status, at, event_id, late)
        VALUES (?3, ?1, ?4, ?5, COALESCE((SELECT NOT \(moves) FROM messages AS m WHERE m.wamid = ?3), 0))
        RETURNING late
        """

    /// Runs only for a new transition. ?1 status, ?2 rank, ?3 wamid, ?4 at, ?6 recipient id,
    /// ?7 recipient user id, ?8 callback data, ?9-?11 error, ?12 pricing category, ?13 now.
    static let upsertSQL = """
        INSERT INTO messages AS m (wamid, recipient_id, recipient_user_id, status, status_rank, status_at, callback_data,
                                   error_code, error_title, error_details, pricing_category, created_at, updated_at)
        VALUES (?3, ?6, ?7, ?1, ?2, ?4, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
        ON CONFLICT(wamid) DO UPDATE SET
          status = CASE WHEN \(moves) THEN ?1 ELSE m.status END,
          status_at = CASE WHEN \(moves) THEN ?4 ELSE m.status_at END,
          status_rank = CASE WHEN \(moves) THEN ?2 ELSE m.status_rank END,
          recipient_id = COALESCE(m.recipient_id, ?6),
          recipient_user_id = COALESCE(m.recipient_user_id, ?7),
          callback_data = COALESCE(m.callback_data, ?8),
          error_code = CASE WHEN ?1 = 'failed' THEN ?9 ELSE m.error_code END,
          error_title = CASE WHEN ?1 = 'failed' THEN ?10 ELSE m.error_title END,
          error_details = CASE WHEN ?1 = 'failed' THEN ?11 ELSE m.error_details END,
          pricing_category = COALESCE(?12, m.pricing_category),
          updated_at = ?13
        """

    static func apply(_ event: MessageStatusEvent, eventID: Int64, now: String, _ db: Database) throws -> MessageStatusOutcome {
        let at = Timestamps.format(event.at)
        let insert = try db.cachedStatement(sql: transitionSQL)
        insert.setUncheckedArguments([event.status, rank(event.status), event.wamid, at, eventID])
        guard let late = try Bool.fetchOne(insert) else { return .duplicate }
        let upsert = try db.cachedStatement(sql: upsertSQL)
        try upsert.execute(arguments: [
            event.status, rank(event.status), event.wamid, at, eventID,
            nonEmpty(event.recipientID), nonEmpty(event.recipientUserID), event.callbackData,
            event.errorCode, event.errorTitle, event.errorDetails, event.pricingCategory, now,
        ])
        // Campaign sends: the outbox row follows its message, in this transaction.
        try Outbox.applyStatus(event, now: now, db)
        return late && event.status != failed ? .stale : .advanced
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static let columns = """
        wamid, recipient_id, recipient_user_id, status, status_rank, status_at, callback_data, error_code, error_title,
        error_details, pricing_category, created_at, updated_at
        """

}
