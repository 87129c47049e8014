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
    /// Statements: the current rank, the transition insert, the upsert, the outbox.
    public func applyMessageStatus(_ event: MessageStatusEvent, eventID: Int64, at: Date = Date()) throws -> MessageStatusOutcome {
        let now = Timestamps.format(at)
        return try write { db in try Ledger.apply(event, eventID: eventID, now: now, db) }
    }

    /// `applyMessageStatus` for many statuses in ONE transaction, outcomes in the same order.
    /// Later items see earlier ones (a duplicate inside the batch is `.duplicate`).
    public func applyMessageStatuses(_ items: [(MessageStatusEvent, Int64)]) throws -> [MessageStatusOutcome] {
        guard !items.isEmpty else { return [] }
        let now = Timestamps.format(Date())
        return try write { db in try Ledger.apply(items, now: now, db) }
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

    /// Whether `status` takes over from a stored rank. A failure wins ties (it ends "sent").
    static func moves(_ status: String, over stored: Int) -> Bool {
        status == failed ? rank(status) >= stored : rank(status) > stored
    }

    /// Inserts the transition unless (wamid, status) is known. No row changed: a duplicate.
    /// (Told by the change count, not `RETURNING`: SQLite stages returned rows in a temporary
    /// b-tree, opened and freed for every statement, a tenth of the ledger's cost under load.)
    static let transitionSQL = """
        INSERT OR IGNORE INTO message_transitions (wamid, status, at, event_id, late) VALUES (?, ?, ?, ?, ?)
        """

    /// The message after a group of new transitions, in one statement. ?1 wamid, ?2 recipient
    /// id, ?3 recipient user id, ?4-?6 status, rank and time, ?7 callback data, ?8-?10 error,
    /// ?11 pricing category, ?12 now, ?13 whether the status moved, ?14 whether a failure came.
    static let upsertSQL = """
        INSERT INTO messages AS m (wamid, recipient_id, recipient_user_id, status, status_rank, status_at, callback_data,
                                   error_code, error_title, error_details, pricing_category, created_at, updated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
        ON CONFLICT(wamid) DO UPDATE SET
          status = CASE WHEN ?13 THEN ?4 ELSE m.status END,
          status_rank = CASE WHEN ?13 THEN ?5 ELSE m.status_rank END,
          status_at = CASE WHEN ?13 THEN ?6 ELSE m.status_at END,
          recipient_id = COALESCE(m.recipient_id, ?2),
          recipient_user_id = COALESCE(m.recipient_user_id, ?3),
          callback_data = COALESCE(m.callback_data, ?7),
          error_code = CASE WHEN ?14 THEN ?8 ELSE m.error_code END,
          error_title = CASE WHEN ?14 THEN ?9 ELSE m.error_title END,
          error_details = CASE WHEN ?14 THEN ?10 ELSE m.error_details END,
          pricing_category = COALESCE(?11, m.pricing_category),
          updated_at = ?12
        """

    static func apply(_ event: MessageStatusEvent, eventID: Int64, now: String, _ db: Database) throws -> MessageStatusOutcome {
        try apply([(event, eventID)], now: now, db).first ?? .duplicate
    }

    /// Applies statuses in order, merged per message: each new one is its own transition row,
    /// but a message's row is read once and written once, and its outbox row followed once,
    /// however many of its statuses the group holds (a campaign's sent, delivered and read
    /// often arrive in one processing batch). The outcome of each status is what applying them
    /// one by one gives; so is the message row. The outbox row sees only the message's final
    /// state: a failure overtaken in the same group (failed, then delivered) does not opt the
    /// contact out, as it would not had both come in one webhook.
    static func apply(_ items: [(MessageStatusEvent, Int64)], now: String, _ db: Database) throws -> [MessageStatusOutcome] {
        var outcomes = [MessageStatusOutcome](repeating: .duplicate, count: items.count)
        var groups: [(wamid: String, indices: [Int])] = []
        var groupOf: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            if let group = groupOf[item.0.wamid] {
                groups[group].indices.append(index)
            } else {
                groupOf[item.0.wamid] = groups.count
                groups.append((item.0.wamid, [index]))
            }
        }
        let current = try db.cachedStatement(sql: "SELECT status_rank FROM messages WHERE wamid = ?")
        let insert = try db.cachedStatement(sql: transitionSQL)
        for group in groups {
            // nil: no row yet; the first new status becomes the message's status unranked.
            var rank = try Int.fetchOne(current, arguments: [group.wamid])
            var merged = MergedStatus()
            for index in group.indices where index < items.count {
                let (event, eventID) = items[index]
                let takesOver = rank.map { Self.moves(event.status, over: $0) } ?? true
                try insert.execute(arguments: [event.wamid, event.status, Timestamps.format(event.at), eventID, !takesOver])
                guard db.changesCount > 0 else { continue }
                if takesOver {
                    rank = Self.rank(event.status)
                    merged.status = event
                }
                merged.add(event)
                outcomes[index] = !takesOver && event.status != failed ? .stale : .advanced
            }
            guard let followed = merged.event else { continue }
            let status = merged.status ?? followed
            try db.cachedStatement(sql: upsertSQL).execute(arguments: [
                group.wamid, merged.recipientID, merged.recipientUserID, status.status, Self.rank(status.status),
                Timestamps.format(status.at), merged.callbackData, merged.failure?.errorCode, merged.failure?.errorTitle,
                merged.failure?.errorDetails, merged.pricingCategory, now, merged.status != nil, merged.failure != nil,
            ])
            // Campaign sends: the outbox row follows its message, in this transaction.
            try Outbox.applyStatus(followed, now: now, db)
            // An inbox reply's status moves its conversation, so live streams show it (campaign
            // sends, `run:` callback data, skip the lookup).
            if !(followed.callbackData?.hasPrefix("run:") ?? false) {
                try db.cachedStatement(sql: """
                    UPDATE conversations SET updated_at = MAX(updated_at, ?2)
                    WHERE id = (SELECT conversation_id FROM replies WHERE wamid = ?1)
                    """).execute(arguments: [group.wamid, now])
            }
        }
        return outcomes
    }

    /// What a group of new statuses of one message leaves on its row, built as `upsertSQL`
    /// would leave it applying them one by one: the first recipient and callback data seen,
    /// the last pricing category, the failure's error, the last status that took over.
    struct MergedStatus {
        var status: MessageStatusEvent?
        var failure: MessageStatusEvent?
        var recipientID: String?
        var recipientUserID: String?
        var callbackData: String?
        var pricingCategory: String?
        private var last: MessageStatusEvent?

        mutating func add(_ event: MessageStatusEvent) {
            last = event
            if event.status == Ledger.failed { failure = event }
            recipientID = recipientID ?? Ledger.nonEmpty(event.recipientID)
            recipientUserID = recipientUserID ?? Ledger.nonEmpty(event.recipientUserID)
            callbackData = callbackData ?? event.callbackData
            pricingCategory = event.pricingCategory ?? pricingCategory
        }

        /// The status the outbox follows: the message's, with what identifies the send (for a
        /// row left `unknown` by a crash) and the failure's time for an opt-out. Nil: nothing new.
        var event: MessageStatusEvent? {
            guard let last else { return nil }
            var event = status ?? last
            event.recipientID = recipientID
            event.recipientUserID = recipientUserID
            event.callbackData = callbackData
            if let failure { event.at = failure.at }
            return event
        }
    }

    /// A send Meta accepted enters the ledger as `accepted`; statuses that arrived before it
    /// (a row made by a webhook) keep their place, and the first recipient and callback data stay.
    static func recordAccepted(wamid: String, recipientID: String?, callbackData: String, stamp: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO messages (wamid, recipient_id, status, status_rank, callback_data, created_at, updated_at)
            VALUES (?1, ?2, 'accepted', ?3, ?4, ?5, ?5)
            ON CONFLICT(wamid) DO UPDATE SET recipient_id = COALESCE(messages.recipient_id, excluded.recipient_id),
                                             callback_data = COALESCE(messages.callback_data, excluded.callback_data)
            """).execute(arguments: [wamid, recipientID, MessageStatusRank.of("accepted"), callbackData, stamp])
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
