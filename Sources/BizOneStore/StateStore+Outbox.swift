import BizOneModel
import Foundation
import GRDB

/// The per-recipient outbox of campaign runs: `queued -> sending -> accepted -> sent /
/// delivered / read / failed`, or `skipped` (with a reason), or `unknown` (the process died
/// mid-send; never resent).
///
/// Crash safety comes from the order of writes: a row is claimed (`sending`) in one
/// transaction BEFORE its request goes out, and its result is written after. A row found in
/// `sending` when a dispatcher starts was therefore maybe sent: `resolveInterruptedSends`
/// makes it `unknown` (or, when its status webhook already named it, takes the ledger's word).
///
/// Delivery statuses reach the outbox through the ledger (`applyMessageStatus(es)` and
/// `EventBatch`), in the same transaction, by wamid. A status that arrives before the
/// accepted mark is picked up when the mark is written, from the `messages` row.
extension StateStore {
    // MARK: - Queueing

    /// Queues recipients in ONE transaction (INSERT OR IGNORE: a phone already in the run is
    /// left alone, so queueing again after a crash never queues anyone twice). A recipient
    /// with a `skipReason` is queued as `skipped`. Returns how many rows were new.
    @discardableResult
    public func queueOutbox(runID: Int64, _ recipients: [OutboxRecipient], at: Date) throws -> Int {
        guard !recipients.isEmpty else { return 0 }
        let stamp = Timestamps.formatMilliseconds(at)
        return try write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO outbox (run_id, phone, name, attributes, state, skip_reason, updated_at)
                VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 IS NULL THEN 'queued' ELSE 'skipped' END, ?5, ?6)
                """)
            var inserted = 0
            for recipient in recipients {
                try insert.execute(arguments: [runID, recipient.phone, recipient.name, JSONValue(strings: recipient.attributes).canonicalString,
                                               recipient.skipReason, stamp])
                inserted += db.changesCount
            }
            return inserted
        }
    }

    /// Marks the run's recipients all queued and stores their number; returns it.
    @discardableResult
    public func finishQueueing(runID: Int64, at: Date) throws -> Int {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET queued_all = 1, recipients = (SELECT COUNT(*) FROM outbox WHERE run_id = ?1) WHERE id = ?1
                """).execute(arguments: [runID])
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT recipients FROM campaign_runs WHERE id = ?"), arguments: [runID]) ?? 0
        }
    }

    // MARK: - Sending

    /// Atomically takes up to `limit` queued rows that are due at `now` (`next_attempt_at`
    /// unset or passed) and makes them `sending`, counting the attempt. A claimed recipient
    /// who opted out since being queued becomes `skipped` ("opted out") instead and is not
    /// returned. Stamps the run's first and last send times.
    public func claimOutbox(runID: Int64, limit: Int, now: Date) throws -> [OutboxEntry] {
        guard limit > 0 else { return [] }
        let stamp = Timestamps.formatMilliseconds(now)
        return try write { db in
            let rows = try OutboxRow.all(db.cachedStatement(sql: """
                UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?2
                WHERE run_id = ?1 AND phone IN (
                  SELECT phone FROM outbox WHERE run_id = ?1 AND state = 'queued'
                    AND (next_attempt_at IS NULL OR next_attempt_at <= ?2)
                  LIMIT ?3)
                RETURNING \(Outbox.columns)
                """), [runID, stamp, limit], table: "outbox")
            guard !rows.isEmpty else { return [] }
            let optedOut = try db.cachedStatement(sql: "SELECT opted_out FROM contacts WHERE phone = ?")
            let skip = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'skipped', skip_reason = 'opted out', attempts = attempts - 1, updated_at = ?3
                WHERE run_id = ?1 AND phone = ?2
                """)
            var claimed: [OutboxEntry] = []
            claimed.reserveCapacity(rows.count)
            for row in rows {
                let entry = try row.entry()
                if try Bool.fetchOne(optedOut, arguments: [entry.phone]) == true {
                    try skip.execute(arguments: [runID, entry.phone, stamp])
                } else {
                    claimed.append(entry)
                }
            }
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET first_send_at = COALESCE(first_send_at, ?2), last_send_at = ?2 WHERE id = ?1
                """).execute(arguments: [runID, stamp])
            return claimed.sorted { $0.phone < $1.phone }
        }
    }

    /// Records what happened to claimed rows, in ONE transaction. Only rows still `sending`
    /// move (an accepted mark also applies to a row that already carries the same wamid).
    /// An accepted message enters the ledger (`messages`, status `accepted`, callback data
    /// `run:<id>`) unless a status webhook put it there first; the row then takes the ledger's
    /// status, so a status that arrived before the mark is not lost. `.failed(optOut: true)`
    /// also opts the contact out.
    public func recordOutboxResults(runID: Int64, _ results: [OutboxResult], at: Date) throws {
        guard !results.isEmpty else { return }
        let stamp = Timestamps.formatMilliseconds(at)
        let ledgerStamp = Timestamps.format(at)
        try write { db in
            for result in results {
                try Outbox.record(result, runID: runID, stamp: stamp, ledgerStamp: ledgerStamp, at: at, db)
            }
        }
    }

    /// `recordOutboxResults` for one accepted row.
    public func markOutboxAccepted(runID: Int64, phone: String, wamid: String, recipientID: String? = nil, at: Date) throws {
        try recordOutboxResults(runID: runID, [.accepted(phone: phone, wamid: wamid, recipientID: recipientID)], at: at)
    }

    /// `recordOutboxResults` for one row to retry at `next`.
    public func markOutboxRetry(runID: Int64, phone: String, next: Date, code: Int?, title: String?, at: Date) throws {
        try recordOutboxResults(runID: runID, [.retry(phone: phone, at: next, code: code, title: title)], at: at)
    }

    /// `recordOutboxResults` for one terminal failure.
    public func markOutboxFailed(runID: Int64, phone: String, code: Int?, title: String?, details: String?, optOut: Bool = false,
                                 at: Date) throws {
        try recordOutboxResults(runID: runID, [.failed(phone: phone, code: code, title: title, details: details, optOut: optOut)],
                                at: at)
    }

    /// `recordOutboxResults` for one skipped row.
    public func markOutboxSkipped(runID: Int64, phone: String, reason: String, at: Date) throws {
        try recordOutboxResults(runID: runID, [.skipped(phone: phone, reason: reason)], at: at)
    }

    /// Crash safety: every `sending` row of the run was perhaps sent by a process that died.
    /// A row whose message the ledger knows (a status webhook with callback data `run:<id>`
    /// and the recipient's number) takes its wamid and status; every other one becomes
    /// `unknown`, never to be sent again. Returns how many became `unknown`.
    @discardableResult
    public func resolveInterruptedSends(runID: Int64, at: Date) throws -> Int {
        let stamp = Timestamps.formatMilliseconds(at)
        return try write { db in
            let phones = try String.fetchAll(db.cachedStatement(sql: "SELECT phone FROM outbox WHERE run_id = ? AND state = 'sending'"),
                                             arguments: [runID])
            guard !phones.isEmpty else { return 0 }
            let callback = Outbox.callbackData(runID: runID)
            let find = try db.cachedStatement(sql: """
                SELECT wamid FROM messages WHERE callback_data = ? AND recipient_id = ? ORDER BY created_at LIMIT 1
                """)
            let unknown = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'unknown', error_title = COALESCE(error_title, 'interrupted while sending'), updated_at = ?3
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """)
            var count = 0
            for phone in phones {
                if let wamid = try String.fetchOne(find, arguments: [callback, Outbox.digits(phone)]) {
                    try Outbox.adopt(runID: runID, phone: phone, wamid: wamid, from: ["sending"], stamp: stamp, db)
                } else {
                    try unknown.execute(arguments: [runID, phone, stamp])
                    count += 1
                }
            }
            return count
        }
    }

    /// What is left to do in a run: rows queued, rows sending, and when the earliest queued
    /// row is due (`nil` when none is queued; a date in the past when one is due now).
    public func pendingOutbox(runID: Int64) throws -> (queued: Int, sending: Int, nextAttemptAt: Date?) {
        try read { db in
            var queued = 0
            var sending = 0
            for group in try GroupCountRow<OutboxState>.all(db.cachedStatement(sql: """
                SELECT state AS key, COUNT(*) AS count FROM outbox WHERE run_id = ? AND state IN ('queued', 'sending') GROUP BY state
                """), [runID], table: "outbox") {
                if group.key == .queued { queued = group.count } else { sending = group.count }
            }
            guard queued > 0 else { return (0, sending, nil) }
            // NULL (due now) and no row read the same: nil.
            let text = try String.fetchOne(db.cachedStatement(sql: """
                SELECT next_attempt_at FROM outbox WHERE run_id = ? AND state = 'queued' ORDER BY next_attempt_at LIMIT 1
                """), arguments: [runID])
            return (queued, sending, text.flatMap(Timestamps.parse) ?? .distantPast)
        }
    }

    // MARK: - Reading

    /// One row of the outbox.
    public func outboxEntry(runID: Int64, phone: String) throws -> OutboxEntry? {
        try read { db in
            try OutboxRow.one(db.cachedStatement(sql: "SELECT \(Outbox.columns) FROM outbox WHERE run_id = ? AND phone = ?"),
                              [runID, phone], table: "outbox")?.entry()
        }
    }

    /// The run's rows by state, failed rows by Meta error code ("none" without one), skipped
    /// rows by reason.
    public func campaignRunCounts(runID: Int64) throws -> CampaignRunCounts {
        try read { db in
            var counts = CampaignRunCounts()
            for group in try GroupCountRow<String>.all(db.cachedStatement(sql: """
                SELECT state AS key, COUNT(*) AS count FROM outbox WHERE run_id = ? GROUP BY state
                """), [runID], table: "outbox") {
                counts.byState[group.key] = group.count
            }
            if counts.byState["failed", default: 0] > 0 {
                for group in try GroupCountRow<Int?>.all(db.cachedStatement(sql: """
                    SELECT error_code AS key, COUNT(*) AS count FROM outbox WHERE run_id = ? AND state = 'failed' GROUP BY error_code
                    """), [runID], table: "outbox") {
                    counts.failedByCode[group.key.map(String.init) ?? "none"] = group.count
                }
            }
            if counts.byState["skipped", default: 0] > 0 {
                for group in try GroupCountRow<String?>.all(db.cachedStatement(sql: """
                    SELECT skip_reason AS key, COUNT(*) AS count FROM outbox WHERE run_id = ? AND state = 'skipped' GROUP BY skip_reason
                    """), [runID], table: "outbox") {
                    counts.skippedByReason[group.key ?? "unspecified"] = group.count
                }
            }
            return counts
        }
    }

    /// Streams the run's rows in phone order, `batchSize` at a time, each batch read in its
    /// own short transaction (constant memory for any audience size; writers are not held up).
    public func exportOutbox(runID: Int64, batchSize: Int = 1_000, _ visit: ([OutboxExportRow]) throws -> Void) throws {
        var after = ""
        let size = max(1, batchSize)
        while true {
            let rows = try read { db in
                try OutboxExportedRow.all(db.cachedStatement(sql: """
                    SELECT \(Outbox.columns), error_details FROM outbox WHERE run_id = ? AND phone > ? ORDER BY phone LIMIT ?
                    """), [runID, after, size], table: "outbox").map { try $0.exported() }
            }
            guard let last = rows.last else { return }
            try visit(rows)
            after = last.entry.phone
            if rows.count < size { return }
        }
    }
}

enum Outbox {
    static let columns = """
        run_id, phone, name, attributes, state, attempts, wamid, error_code, error_title, skip_reason, next_attempt_at, updated_at
        """

    /// The outbox state a ledger status maps to (`played` counts as read).
    static let mappedStatus = "CASE m.status WHEN 'played' THEN 'read' ELSE m.status END"
    /// Ledger statuses the outbox follows.
    static let followedStatuses = "('accepted', 'sent', 'delivered', 'read', 'played', 'failed')"

    static func callbackData(runID: Int64) -> String { "run:\(runID)" }

    /// The run id in `run:<id>` callback data.
    static func runID(callbackData: String?) -> Int64? {
        guard let callbackData, callbackData.hasPrefix("run:") else { return nil }
        return Int64(callbackData.dropFirst(4))
    }

    static func digits(_ phone: String) -> String { String(phone.filter(\.isNumber)) }

    /// The outbox row of (run, phone): its state and error code.
    static func state(runID: Int64, phone: String, _ db: Database) throws -> OutboxStateRow? {
        try OutboxStateRow.one(db.cachedStatement(sql: "SELECT phone, state, error_code FROM outbox WHERE run_id = ? AND phone = ?"),
                               [runID, phone], table: "outbox")
    }

    static func record(_ result: OutboxResult, runID: Int64, stamp: String, ledgerStamp: String, at: Date, _ db: Database) throws {
        switch result {
        case let .accepted(phone, wamid, recipientID):
            try Ledger.recordAccepted(wamid: wamid, recipientID: recipientID.flatMap { $0.isEmpty ? nil : $0 } ?? digits(phone),
                                      callbackData: callbackData(runID: runID), stamp: ledgerStamp, db)
            try db.cachedStatement(sql: """
                UPDATE outbox SET wamid = ?3, state = COALESCE((SELECT \(mappedStatus) FROM messages AS m WHERE m.wamid = ?3
                                                               AND m.status IN \(followedStatuses)), 'accepted'),
                  error_code = (SELECT m.error_code FROM messages AS m WHERE m.wamid = ?3),
                  error_title = (SELECT m.error_title FROM messages AS m WHERE m.wamid = ?3),
                  error_details = (SELECT m.error_details FROM messages AS m WHERE m.wamid = ?3),
                  next_attempt_at = NULL, updated_at = ?4
                WHERE run_id = ?1 AND phone = ?2 AND (state = 'sending' OR wamid = ?3)
                """).execute(arguments: [runID, phone, wamid, stamp])
            // A failure that arrived first with 131050 opts the contact out here.
            if let row = try state(runID: runID, phone: phone, db), row.optsContactOut {
                try Inbox.optOut(phone: phone, at: at, db)
            }
        case let .retry(phone, next, code, title):
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'queued', next_attempt_at = ?3, error_code = ?4, error_title = ?5, updated_at = ?6
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """).execute(arguments: [runID, phone, Timestamps.formatMilliseconds(next), code, title, stamp])
        case let .failed(phone, code, title, details, optOut):
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'failed', error_code = ?3, error_title = ?4, error_details = ?5, next_attempt_at = NULL,
                  updated_at = ?6
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """).execute(arguments: [runID, phone, code, title, details, stamp])
            if optOut, db.changesCount > 0 { try Inbox.optOut(phone: phone, at: at, db) }
        case let .unknown(phone, code, title):
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'unknown', error_code = ?3, error_title = ?4, next_attempt_at = NULL, updated_at = ?5
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """).execute(arguments: [runID, phone, code, title, stamp])
        case let .skipped(phone, reason):
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'skipped', skip_reason = ?3, attempts = MAX(0, attempts - 1), next_attempt_at = NULL,
                  updated_at = ?4
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """).execute(arguments: [runID, phone, reason, stamp])
        case let .released(phone):
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ?3
                WHERE run_id = ?1 AND phone = ?2 AND state = 'sending'
                """).execute(arguments: [runID, phone, stamp])
        }
    }

    /// Meta's "user stopped marketing messages": the contact is opted out.
    static let optOutCode = 131_050

    /// Gives the row `wamid` and the ledger's status for it (rows in `from` states only).
    static func adopt(runID: Int64, phone: String, wamid: String, from states: [String], stamp: String, _ db: Database) throws {
        let list = states.map { "'\($0)'" }.joined(separator: ", ")
        try db.execute(sql: """
            UPDATE outbox SET wamid = ?3,
              state = COALESCE((SELECT \(mappedStatus) FROM messages AS m WHERE m.wamid = ?3 AND m.status IN \(followedStatuses)),
                               'accepted'),
              error_code = (SELECT m.error_code FROM messages AS m WHERE m.wamid = ?3),
              error_title = (SELECT m.error_title FROM messages AS m WHERE m.wamid = ?3),
              error_details = (SELECT m.error_details FROM messages AS m WHERE m.wamid = ?3),
              updated_at = ?4
            WHERE run_id = ?1 AND phone = ?2 AND wamid IS NULL AND state IN (\(list))
            """, arguments: [runID, phone, wamid, stamp])
    }

    /// The ledger hook: after a NEW status for `event.wamid` was applied to `messages`, the
    /// outbox row with that wamid follows the message's (forward-only) status and error. A
    /// row left `unknown` by a crash is found by the callback data `run:<id>` and the
    /// recipient's number instead, and takes the wamid. A failure with 131050 opts the
    /// contact out.
    static func applyStatus(_ event: MessageStatusEvent, now: String, _ db: Database) throws {
        // Most statuses are of messages no outbox row has (replies, other senders, or all of
        // them before any campaign): one index probe decides, and the join update (the costlier
        // statement, perf under webhook load) runs only for a campaign send.
        let followed = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE wamid = ?)"),
                                         arguments: [event.wamid]) == true
        var rows = !followed ? [] : try OutboxStateRow.all(db.cachedStatement(sql: """
            UPDATE outbox SET state = \(mappedStatus), error_code = COALESCE(m.error_code, outbox.error_code),
              error_title = COALESCE(m.error_title, outbox.error_title), error_details = COALESCE(m.error_details, outbox.error_details),
              updated_at = ?2
            FROM messages AS m
            WHERE m.wamid = ?1 AND outbox.wamid = ?1 AND m.status IN \(followedStatuses)
              AND outbox.state IN ('accepted', 'sent', 'delivered', 'read', 'failed')
              AND (outbox.state IS NOT \(mappedStatus) OR outbox.error_code IS NOT m.error_code)
            RETURNING outbox.phone AS phone, outbox.state AS state, outbox.error_code AS error_code
            """), [event.wamid, now], table: "outbox")
        if !followed, let runID = runID(callbackData: event.callbackData), let recipient = event.recipientID, !recipient.isEmpty {
            let phone = "+" + digits(recipient)
            try adopt(runID: runID, phone: phone, wamid: event.wamid, from: ["unknown"], stamp: now, db)
            if db.changesCount > 0, let row = try state(runID: runID, phone: phone, db) {
                rows.append(row)
            }
        }
        for row in rows where row.optsContactOut {
            try Inbox.optOut(phone: row.phone, at: event.at, db)
        }
    }
}
