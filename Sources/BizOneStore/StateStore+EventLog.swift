import BizOneModel
import Foundation
import GRDB

/// The raw webhook event log (DESIGN.md §7, reference §16): every accepted POST is durable
/// before the 200, identical bytes are stored once, and a cursor says how far processing got.
extension StateStore {
    /// Stores a group of received webhooks in ONE write transaction (group commit) and returns
    /// their ids in the same order. A body whose hash is already stored is not stored again:
    /// its `deliveries` grows and its existing id is returned (also within one group).
    ///
    /// `beforeCommit` runs inside the transaction, once its rows are written and before they can
    /// be seen, with the positions in `events` and ids of the rows it inserted (redeliveries of
    /// stored bytes left out): whatever it records about them is in place before any reader can
    /// find them. If the commit then fails, none of those rows exist (and SQLite will hand out
    /// the same ids again), so the caller must forget what it recorded.
    public func appendWebhookEvents(_ events: [IncomingWebhook],
                                    beforeCommit: ([(index: Int, id: Int64)]) -> Void = { _ in }) throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        // Hashing and formatting outside the write: the write lock is held only for the inserts.
        let hashes = events.map { ContentHash.of($0.body) }
        let rows: [StatementArguments] = zip(events, hashes).map { event, hash in
            [Timestamps.formatMilliseconds(event.receivedAt), event.path, event.body, hash, event.outcome.rawValue, event.rejectReason]
        }
        return try write { db in
            // Ids only grow: a row above the largest before is one this transaction inserted.
            let previous = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM webhook_events")) ?? 0
            let statement = try db.cachedStatement(sql: EventLog.appendSQL)
            let stored = try db.cachedStatement(sql: "SELECT id FROM webhook_events WHERE body_hash = ?")
            var ids: [Int64] = []
            ids.reserveCapacity(rows.count)
            for (arguments, hash) in zip(rows, hashes) {
                // An insert moves the last inserted row id to its new row (ids only grow); the
                // upsert's update of stored bytes leaves it alone, and the row is found by hash.
                let before = db.lastInsertedRowID
                try statement.execute(arguments: arguments)
                if db.lastInsertedRowID != before {
                    ids.append(db.lastInsertedRowID)
                } else if let id = try Int64.fetchOne(stored, arguments: [hash]) {
                    ids.append(id)
                } else {
                    throw StoreError.database("appending a webhook event left no row")
                }
            }
            var inserted: [(index: Int, id: Int64)] = []
            var seen: Set<Int64> = []
            for (index, id) in ids.enumerated() where id > previous && seen.insert(id).inserted {
                inserted.append((index, id))
            }
            beforeCommit(inserted)
            return ids
        }
    }

    /// Events with an id above `id`, ascending, at most `limit`. `onlyAccepted` (the default)
    /// leaves out rejected events, which are never processed.
    public func webhookEvents(after id: Int64, limit: Int, onlyAccepted: Bool = true) throws -> [StoredWebhookEvent] {
        try read { db in
            let sql = "SELECT \(EventLog.columns) FROM webhook_events \(EventLog.byID) WHERE id > ?"
                + (onlyAccepted ? " AND outcome = 'accepted'" : "") + " ORDER BY id LIMIT ?"
            return try EventLog.events(db.cachedStatement(sql: sql), [id, max(0, limit)])
        }
    }

    /// Like `webhookEvents(after:limit:)` for accepted events, without their bodies: the
    /// processor reads a body only for an event whose decoded items it does not hold already.
    public func acceptedEventRefs(after id: Int64, limit: Int) throws -> [WebhookEventRef] {
        try read { db in
            try WebhookEventRefRow.all(db.cachedStatement(sql: """
                SELECT id, received_at FROM webhook_events \(EventLog.byID) WHERE id > ? AND outcome = 'accepted' ORDER BY id LIMIT ?
                """), [id, max(0, limit)], table: "webhook_events").map { try $0.ref() }
        }
    }

    /// Events for `bizone webhooks list|replay`, rejected ones included, ascending id:
    /// received at or after `since`, among `ids`, at most `limit` (nil: no such condition).
    public func webhookEvents(since: Date?, ids: [Int64]?, limit: Int?) throws -> [StoredWebhookEvent] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let since {
                conditions.append("received_at >= ?")
                arguments += [Timestamps.formatMilliseconds(since)]
            }
            if let ids {
                guard !ids.isEmpty else { return [] }
                conditions.append("id IN (SELECT value FROM json_each(?))")
                arguments += [String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)]
            }
            var sql = "SELECT \(EventLog.columns) FROM webhook_events"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY id"
            if let limit {
                sql += " LIMIT ?"
                arguments += [max(0, limit)]
            }
            return try EventLog.events(db.makeStatement(sql: sql), arguments)
        }
    }

    /// The newest `limit` events, newest first; `failedOnly`: those rejected on arrival or whose
    /// processing failed.
    public func recentWebhookEvents(limit: Int, failedOnly: Bool) throws -> [StoredWebhookEvent] {
        try read { db in
            try EventLog.events(db.cachedStatement(sql: """
                SELECT \(EventLog.columns) FROM webhook_events
                WHERE ?1 = 0 OR outcome = 'rejected' OR processing_error IS NOT NULL
                ORDER BY id DESC LIMIT ?2
                """), [failedOnly, max(0, limit)])
        }
    }

    public func webhookEvent(id: Int64) throws -> StoredWebhookEvent? {
        try read { db in
            try EventLog.events(db.cachedStatement(sql: "SELECT \(EventLog.columns) FROM webhook_events WHERE id = ?"), [id]).first
        }
    }

    /// The id of the last event processing has finished with (0 before the first).
    public func processingCursor() throws -> Int64 {
        try read { db in try EventLog.cursor(db) }
    }

    /// In one transaction: stamps `processed_at` and `processing_error` on the events of
    /// `errors` after the cursor up to `id` (inclusive), moves the cursor to `id` (never
    /// backwards) and records when (`processing_marks`); the other events are processed by the
    /// cursor alone, their rows untouched.
    public func markProcessed(upTo id: Int64, errors: [Int64: String], at: Date) throws {
        try write { db in try EventLog.markProcessed(upTo: id, errors: errors, at: at, db) }
    }

    /// Accepted events after the cursor: what processing still has to do.
    public func eventBacklog() throws -> Int {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT COUNT(*) FROM webhook_events
                WHERE \(EventLog.waiting)
                """)) ?? 0
        }
    }

    /// When the oldest accepted event after the cursor was received (nil when none waits).
    public func oldestUnprocessedEventReceivedAt() throws -> Date? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: """
                SELECT received_at FROM webhook_events
                WHERE \(EventLog.waiting)
                ORDER BY id LIMIT 1
                """)).flatMap(Timestamps.parse)
        }
    }

    /// When the newest stored webhook was received (nil before the first).
    public func lastWebhookReceivedAt() throws -> Date? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT MAX(received_at) FROM webhook_events")).flatMap(Timestamps.parse)
        }
    }

    /// Accepted and rejected events; of the accepted, how many were processed (with or without
    /// an error) and how many failed (processed with an error).
    public func eventCounts() throws -> (accepted: Int, rejected: Int, processed: Int, failed: Int) {
        try read { db in
            var accepted = 0, rejected = 0, processed = 0
            let groups = try EventOutcomeCountRow.all(db.cachedStatement(sql: """
                SELECT outcome, COUNT(*) AS count,
                       SUM(id <= (SELECT last_event_id FROM processing_cursor WHERE slot = 1)) AS processed
                FROM webhook_events GROUP BY outcome
                """), table: "webhook_events")
            for group in groups {
                if group.outcome == IncomingWebhook.Outcome.accepted.rawValue {
                    accepted = group.count
                    processed = group.processed
                } else {
                    rejected = group.count
                }
            }
            let failed = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT COUNT(*) FROM webhook_events WHERE processing_error IS NOT NULL
                """)) ?? 0
            return (accepted, rejected, processed, failed)
        }
    }
}

/// SQL and row reading of the event log, shared with `EventBatch`.
enum EventLog {
    static let appendSQL = """
        INSERT INTO webhook_events (received_at, path, body, body_hash, outcome, reject_reason)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(body_hash) DO UPDATE SET deliveries = deliveries + 1
        """

    /// Reading after an id goes by the primary key. Without it SQLite's planner prefers the
    /// `(outcome, processed_at)` index for `outcome = 'accepted'` and walks every accepted event
    /// of the log, then sorts: a batch read cost grew with the log (perf under load).
    static let byID = "NOT INDEXED"

    /// Accepted events after the cursor, in the terms of the `(outcome, processed_at)` index so
    /// counting them seeks by rowid in its (accepted, NULL) range and reads only index entries:
    /// an event after the cursor is never stamped (`markProcessed` stamps failures and moves the
    /// cursor in one transaction).
    static let waiting = """
        outcome = 'accepted' AND processed_at IS NULL AND id > (SELECT last_event_id FROM processing_cursor WHERE slot = 1)
        """

    /// `processed_at` is the row's own stamp (failures, and every event processed before
    /// `v7-processing-marks`), else, for an accepted event the cursor has passed, the time of
    /// the first processing mark that reaches it.
    static let columns = """
        id, received_at, path, body_hash, body, outcome, reject_reason,
        COALESCE(processed_at, CASE WHEN outcome = 'accepted' AND id <= (SELECT last_event_id FROM processing_cursor WHERE slot = 1)
            THEN (SELECT at FROM processing_marks WHERE last_event_id >= webhook_events.id ORDER BY last_event_id LIMIT 1) END
        ) AS processed_at,
        processing_error, deliveries
        """

    static func events(_ statement: Statement, _ arguments: StatementArguments) throws -> [StoredWebhookEvent] {
        try WebhookEventRow.all(statement, arguments, table: "webhook_events").map { try $0.event() }
    }

    static func cursor(_ db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_event_id FROM processing_cursor WHERE slot = 1")) else {
            throw StoreError.corrupt("processing_cursor has no row")
        }
        return id
    }

    static func markProcessed(upTo id: Int64, errors: [Int64: String], at: Date, _ db: Database) throws {
        let stamp = Timestamps.formatMilliseconds(at)
        let cursor = try cursor(db)
        guard id > cursor else { return }
        if !errors.isEmpty {
            let failed = try db.cachedStatement(sql: """
                UPDATE webhook_events SET processed_at = ?, processing_error = ?
                WHERE id = ? AND id > ? AND outcome = 'accepted' AND processed_at IS NULL
                """)
            for (eventID, message) in errors where eventID <= id {
                try failed.execute(arguments: [stamp, message, eventID, cursor])
            }
        }
        // The rest is processed by moving the cursor; the mark of this second remembers when.
        try db.cachedStatement(sql: "UPDATE processing_cursor SET last_event_id = ? WHERE slot = 1").execute(arguments: [id])
        try db.cachedStatement(sql: """
            INSERT INTO processing_marks (second, at, last_event_id) VALUES (?, ?, ?)
            ON CONFLICT(second) DO UPDATE SET at = excluded.at, last_event_id = excluded.last_event_id
            """).execute(arguments: [Timestamps.format(at), stamp, id])
    }
}
