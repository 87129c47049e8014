import BizOneModel
import Foundation
import GRDB

/// What was sent lately and in all, read from the state so every process sees the same
/// numbers: the messaging limit a run checks before it starts, and the sends `/metrics` shows
/// whichever process made them.
extension StateStore {
    /// Distinct recipients of messages this state knows of (BizOne's sends and the statuses Meta
    /// reported) created since `since`: the business-initiated conversations Meta's messaging
    /// limit counts over a rolling 24 hours.
    public func recipientsMessaged(since: Date) throws -> Int {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(DISTINCT recipient_id) FROM messages WHERE created_at >= ? AND recipient_id IS NOT NULL
                """), arguments: [Timestamps.format(since)]) ?? 0
        }
    }

    /// The final recipients of an applied audience that were sent a message since `since`.
    public func audienceRecipientsMessaged(_ audience: String, spec: AudienceSpec, since: Date, now: Date) throws -> Int {
        let query = try AudienceQuery(audience: audience, spec: spec, now: now, members: .stored)
        var arguments = query.arguments
        _ = arguments.append(contentsOf: ["since": Timestamps.format(since)])
        return try read { db in
            try Int.fetchOne(db, sql: query.recentlyMessagedSQL, arguments: arguments) ?? 0
        }
    }

    /// Messages Meta accepted from BizOne, by source: campaign sends (outbox rows with a
    /// message id) and replies (auto-replies enter the ledger as `accepted`).
    public func sentMessageCounts() throws -> (campaigns: Int, replies: Int) {
        try read { db in
            let campaigns = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE wamid IS NOT NULL")) ?? 0
            let replies = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM message_transitions WHERE status = 'accepted'
                """)) ?? 0
            return (campaigns, replies)
        }
    }
}
