import BizOneModel
import Foundation
import GRDB

/// Several processing writes in ONE transaction, for the processor: apply a batch of events
/// (statuses, inbound messages, forwards, opt-outs, assignment) and move the cursor, so a
/// batch is either all recorded or not at all, and costs one commit.
///
/// Each method behaves exactly like the `StateStore` method of the same name. Use it only
/// inside the `processBatch` closure; no network calls in there (the write lock is held).
public struct EventBatch: ~Copyable {
    let db: Database
    let now: String

    public func applyMessageStatus(_ event: MessageStatusEvent, eventID: Int64) throws -> MessageStatusOutcome {
        try Ledger.apply(event, eventID: eventID, now: now, db)
    }

    public func recordInbound(_ event: InboundMessageEvent, eventID: Int64) throws -> InboundOutcome {
        try Inbox.record(event, raw: event.raw.canonicalString, eventID: eventID, now: now, db)
    }

    @discardableResult
    public func enqueueForward(eventID: Int64, route: String, url: String, secretRef: String, maxAttempts: Int,
                               backoffMilliseconds: Int, at: Date) throws -> Bool {
        try Forwards.enqueue(eventID: eventID, route: route, url: url, secretRef: secretRef, maxAttempts: maxAttempts,
                             backoffMilliseconds: backoffMilliseconds, stamp: Timestamps.formatMilliseconds(at), db)
    }

    public func optOut(phone: String, at: Date) throws {
        try Inbox.optOut(phone: phone, at: at, db)
    }

    public func isOptedOut(phone: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT opted_out FROM contacts WHERE phone = ?"), arguments: [phone]) ?? false
    }

    public func assignConversation(id: Int64, user: String?, team: String?, route: String? = nil) throws {
        try Inbox.assign(id: id, user: user, team: team, route: route, now: now, db)
    }

    public func nextAssignee(team: String, candidates: [String], strategy: String) throws -> String? {
        try Inbox.nextAssignee(team: team, candidates: candidates, strategy: strategy, db)
    }

    public func markProcessed(upTo id: Int64, errors: [Int64: String], at: Date) throws {
        try EventLog.markProcessed(upTo: id, errors: errors, at: at, db)
    }

    public func processingCursor() throws -> Int64 {
        try EventLog.cursor(db)
    }
}

extension StateStore {
    /// Runs `body` in one write transaction (see `EventBatch`). A throw rolls everything back.
    public func processBatch<T>(_ body: (borrowing EventBatch) throws -> T) throws -> T {
        let now = Timestamps.format(Date())
        return try write { db in try body(EventBatch(db: db, now: now)) }
    }
}
