import BizOneModel
import Foundation
import GRDB

/// The SLA clock's reads and its record of breaches (see `SLAEvaluator`).
extension StateStore {
    /// The facts of every conversation the clock runs for: the unresolved ones (resolving
    /// stops it; what was recorded stays).
    public func slaFacts() throws -> [SLAConversationFacts] {
        try read { db in
            try SLAFactsRow.all(db.cachedStatement(sql: """
                SELECT c.id AS id, c.assigned_team AS assigned_team, c.routed_by AS routed_by, c.status AS status,
                  (SELECT group_concat(l.label, char(10)) FROM conversation_labels AS l WHERE l.conversation_id = c.id) AS labels,
                  (SELECT MIN(m.received_at) FROM inbound_messages AS m WHERE m.conversation_id = c.id) AS first_inbound_at,
                  (SELECT MIN(r.created_at) FROM replies AS r WHERE r.conversation_id = c.id AND r.state = 'accepted') AS first_reply_at,
                  (SELECT MIN(m.received_at) FROM inbound_messages AS m WHERE m.conversation_id = c.id
                     AND m.received_at > (SELECT MAX(r.created_at) FROM replies AS r WHERE r.conversation_id = c.id AND r.state = 'accepted'))
                    AS awaiting_since
                FROM conversations AS c
                WHERE c.status != 'resolved'
                ORDER BY c.id
                """), table: "conversations").map(\.facts)
        }
    }

    /// Records breaches not recorded before; returns those that are new (each is escalated once).
    public func recordSLABreaches(_ breaches: [SLABreach], at: Date) throws -> [SLABreach] {
        guard !breaches.isEmpty else { return [] }
        return try write { db in
            var new: [SLABreach] = []
            for breach in breaches {
                try db.cachedStatement(sql: """
                    INSERT INTO sla_breaches (conversation_id, sla, target, due_at, found_at, escalated) VALUES (?, ?, ?, ?, ?, 0)
                    ON CONFLICT DO NOTHING
                    """).execute(arguments: [breach.conversationID, breach.sla, breach.target.rawValue, Timestamps.format(breach.dueAt),
                                             Timestamps.format(at)])
                if db.changesCount > 0 { new.append(breach) }
            }
            return new
        }
    }

    /// Marks a breach's escalation done.
    public func markSLAEscalated(_ breach: SLABreach) throws {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE sla_breaches SET escalated = 1 WHERE conversation_id = ? AND sla = ? AND target = ? AND due_at = ?
                """).execute(arguments: [breach.conversationID, breach.sla, breach.target.rawValue, Timestamps.format(breach.dueAt)])
        }
    }

    /// The breaches of a conversation, oldest due first.
    public func slaBreaches(conversationID: Int64) throws -> [SLABreach] {
        try read { db in
            try SLABreachRow.filter(SLABreachRow.Columns.conversationID == conversationID).order(SLABreachRow.Columns.dueAt).fetchAll(db)
                .compactMap(\.breach)
        }
    }

    /// Breaches recorded, by "sla target" (for /metrics and status).
    public func slaBreachCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for group in try GroupCountRow<String>.all(db.cachedStatement(sql: """
                SELECT sla || ' ' || target AS key, COUNT(*) AS count FROM sla_breaches GROUP BY 1
                """), table: "sla_breaches") {
                counts[group.key] = group.count
            }
            return counts
        }
    }
}
