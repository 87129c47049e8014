import BizOneModel
import Foundation
import GRDB

/// The forward queue: route actions that POST an event elsewhere, with retries and a dead
/// letter. The secret is stored as its reference (`env:NAME`), never as a value.
extension StateStore {
    /// Queues a forward of `eventID` for `route`, due at `at`. False when that (event, route)
    /// is already queued, whatever its status: replaying the log forwards nothing twice.
    @discardableResult
    public func enqueueForward(eventID: Int64, route: String, url: String, secretRef: String, maxAttempts: Int,
                               backoffMilliseconds: Int, at: Date) throws -> Bool {
        let stamp = Timestamps.formatMilliseconds(at)
        return try write { db in
            try Forwards.enqueue(eventID: eventID, route: route, url: url, secretRef: secretRef, maxAttempts: maxAttempts,
                                 backoffMilliseconds: backoffMilliseconds, stamp: stamp, db)
        }
    }

    /// Pending forwards due at `now`, soonest first (then by id), at most `limit`.
    public func dueForwards(now: Date, limit: Int) throws -> [ForwardDelivery] {
        try read { db in
            try ForwardDeliveryRow.all(db.cachedStatement(sql: """
                SELECT \(Forwards.columns) FROM forward_deliveries
                WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                """), [Timestamps.formatMilliseconds(now), max(0, limit)], table: "forward_deliveries").map { try $0.delivery() }
        }
    }

    /// Records one attempt, in one transaction. `attempts` grows by one; delivered: the
    /// forward is done (`last_error` keeps the previous failure); otherwise it is due again at `at + backoff × 2^(attempts − 1)`, or
    /// dead once `attempts` reaches `maxAttempts`. An attempt on a forward that is no longer
    /// pending is logged but changes nothing. Throws `.conflict` for an unknown id.
    public func recordForwardAttempt(id: Int64, at: Date, httpStatus: Int?, error: String?, delivered: Bool) throws {
        try write { db in
            guard let row = try ForwardProgressRow.one(db.cachedStatement(sql: """
                SELECT id, status, attempts, max_attempts, backoff_ms FROM forward_deliveries WHERE id = ?
                """), [id], table: "forward_deliveries") else {
                throw StoreError.conflict("no forward delivery \(id)")
            }
            let stamp = Timestamps.formatMilliseconds(at)
            try db.cachedStatement(sql: "INSERT INTO forward_attempts (delivery_id, at, http_status, error) VALUES (?, ?, ?, ?)")
                .execute(arguments: [id, stamp, httpStatus, error])
            guard row.status == "pending" else { return }
            // Saturating: a count damaged to Int.max stays there (and the forward goes dead).
            let attempts = row.attempts < Int.max ? row.attempts + 1 : row.attempts
            let maxAttempts = row.maxAttempts
            let backoff = row.backoffMilliseconds
            let lastError = error ?? httpStatus.map { "HTTP \($0)" }
            if delivered {
                try db.cachedStatement(sql: """
                    UPDATE forward_deliveries SET status = 'delivered', attempts = ?, delivered_at = ? WHERE id = ?
                    """).execute(arguments: [attempts, stamp, id])
            } else if attempts >= maxAttempts {
                try db.cachedStatement(sql: "UPDATE forward_deliveries SET status = 'dead', attempts = ?, last_error = ? WHERE id = ?")
                    .execute(arguments: [attempts, lastError, id])
            } else {
                let next = at.addingTimeInterval(Forwards.delay(backoffMilliseconds: backoff, attempts: attempts))
                try db.cachedStatement(sql: "UPDATE forward_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")
                    .execute(arguments: [attempts, Timestamps.formatMilliseconds(next), lastError, id])
            }
        }
    }

    /// Forwards by id; `status` nil means all.
    public func forwardDeliveries(status: String?) throws -> [ForwardDelivery] {
        try read { db in
            try ForwardDeliveryRow.all(db.cachedStatement(sql: """
                SELECT \(Forwards.columns) FROM forward_deliveries WHERE (?1 IS NULL OR status = ?1) ORDER BY id
                """), [status], table: "forward_deliveries").map { try $0.delivery() }
        }
    }

    /// Attempts of one forward, oldest first.
    public func forwardAttempts(deliveryID: Int64) throws -> [ForwardAttemptRecord] {
        try read { db in
            try ForwardAttemptRow.all(db.cachedStatement(sql: """
                SELECT delivery_id, at, http_status, error FROM forward_attempts WHERE delivery_id = ? ORDER BY at, rowid
                """), [deliveryID], table: "forward_attempts").map { try $0.record() }
        }
    }
}

enum Forwards {
    static let columns = """
        id, event_id, route, url, secret_ref, status, attempts, max_attempts, backoff_ms, next_attempt_at, last_error,
        created_at, delivered_at
        """

    /// `backoff × 2^(attempts − 1)` in seconds; the exponent stops at 30 so it cannot overflow.
    /// Clamped before subtracting: `attempts` comes from the file and may be `Int.min`.
    static func delay(backoffMilliseconds: Int, attempts: Int) -> TimeInterval {
        let exponent = min(max(attempts, 1), 31) - 1
        return Double(max(0, backoffMilliseconds)) * Double(1 << exponent) / 1000
    }

    static func enqueue(eventID: Int64, route: String, url: String, secretRef: String, maxAttempts: Int,
                        backoffMilliseconds: Int, stamp: String, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO forward_deliveries
              (event_id, route, url, secret_ref, status, attempts, max_attempts, backoff_ms, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
            """).execute(arguments: [eventID, route, url, secretRef, max(1, maxAttempts), max(0, backoffMilliseconds), stamp, stamp])
        return db.changesCount > 0
    }
}
