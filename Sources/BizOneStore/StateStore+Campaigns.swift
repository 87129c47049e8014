import BizOneModel
import Foundation
import GRDB

/// Campaign runs (DESIGN.md §5): one row per scheduled occurrence or manual run, its status
/// and pause reason, its timing, the lease a dispatcher holds while sending, and the
/// scheduler's cursor. The per-recipient outbox is in `StateStore+Outbox.swift`.
///
/// Status moves: `queued -> running -> completed`; `queued/running -> paused -> queued/running`
/// (resume); `queued/running/paused -> cancelled`; a never-started `queued`/`paused` run ->
/// `expired`. Every move is a conditional UPDATE, so a pause from the CLI and a completion
/// from the dispatcher cannot overwrite each other.
extension StateStore {
    // MARK: - Creating runs

    /// Creates a run, or returns the existing one for the same occurrence (`scheduledFor` set):
    /// UNIQUE(campaign, scheduled_for) means an occurrence never runs twice. Manual runs
    /// (`scheduledFor` nil) are always new. A `lease` is taken in the same transaction, so a
    /// run created for a foreground sender is never picked up first by `serve`'s scheduler.
    public func createCampaignRun(campaign: String, trigger: CampaignRunRecord.Trigger, scheduledFor: Date?,
                                  at: Date, lease: (holder: String, until: Date)? = nil) throws -> (run: CampaignRunRecord, created: Bool) {
        try write { db in
            let result = try Campaigns.insertRun(campaign: campaign, trigger: trigger, scheduledFor: scheduledFor, status: .queued,
                                                 reason: nil, at: at, db)
            if let lease, result.created {
                try db.execute(sql: "UPDATE campaign_runs SET lease_holder = ?, lease_until = ? WHERE id = ?",
                               arguments: [lease.holder, Timestamps.formatMilliseconds(lease.until), result.run.id])
            }
            return result
        }
    }

    /// Records an occurrence that could not start within `expireAfter`: an `expired` run that
    /// is never sent. Returns the existing run when the occurrence already has one.
    public func recordExpiredCampaignRun(campaign: String, scheduledFor: Date, reason: String,
                                         at: Date) throws -> (run: CampaignRunRecord, created: Bool) {
        try write { db in
            try Campaigns.insertRun(campaign: campaign, trigger: .schedule, scheduledFor: scheduledFor, status: .expired,
                                    reason: reason, at: at, db)
        }
    }

    /// The scheduler's step for one campaign, in ONE transaction: a run per occurrence
    /// (`queued`, or `expired` with `expiredReason`), existing occurrences left alone, and the
    /// cursor moved to `cursor` (never backwards). Returns the runs it created.
    @discardableResult
    public func recordScheduledOccurrences(campaign: String, _ occurrences: [ScheduledOccurrence], cursor: Date,
                                           expiredReason: String = "not started within expireAfter of its due time",
                                           at: Date) throws -> [CampaignRunRecord] {
        try write { db in
            var created: [CampaignRunRecord] = []
            for occurrence in occurrences {
                let result = try Campaigns.insertRun(
                    campaign: campaign, trigger: .schedule, scheduledFor: occurrence.scheduledFor,
                    status: occurrence.expired ? .expired : .queued, reason: occurrence.expired ? (occurrence.reason ?? expiredReason) : nil, at: at, db)
                if result.created { created.append(result.run) }
            }
            try db.cachedStatement(sql: """
                INSERT INTO campaign_cursor (campaign, last_scheduled_for) VALUES (?1, ?2)
                ON CONFLICT(campaign) DO UPDATE SET last_scheduled_for = MAX(last_scheduled_for, excluded.last_scheduled_for)
                """).execute(arguments: [campaign, Timestamps.formatMilliseconds(cursor)])
            return created
        }
    }

    /// The last time the scheduler looked for occurrences of `campaign`; nil before the first time.
    public func campaignCursor(_ campaign: String) throws -> Date? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT last_scheduled_for FROM campaign_cursor WHERE campaign = ?"),
                                arguments: [campaign]).flatMap(Timestamps.parse)
        }
    }

    // MARK: - Reading runs

    public func campaignRun(id: Int64) throws -> CampaignRunRecord? {
        try read { db in
            try CampaignRunRow.one(db.cachedStatement(sql: "SELECT \(Campaigns.columns) FROM campaign_runs WHERE id = ?"), [id],
                                   table: "campaign_runs")?.record()
        }
    }

    /// Runs oldest first; `campaign` nil means every campaign, `statuses` nil every status.
    public func campaignRuns(campaign: String? = nil, statuses: Set<CampaignRunRecord.Status>? = nil) throws -> [CampaignRunRecord] {
        try read { db in
            var sql = "SELECT \(Campaigns.columns) FROM campaign_runs WHERE (?1 IS NULL OR campaign = ?1)"
            var arguments: [(any DatabaseValueConvertible)?] = [campaign]
            if let statuses {
                guard !statuses.isEmpty else { return [] }
                sql += " AND status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
                arguments += statuses.map(\.rawValue).sorted()
            }
            sql += " ORDER BY id"
            return try CampaignRunRow.all(db.makeStatement(sql: sql), StatementArguments(arguments), table: "campaign_runs")
                .map { try $0.record() }
        }
    }

    /// What a dispatcher checks between batches (one indexed row read).
    public func campaignRunControl(id: Int64) throws -> CampaignRunControl? {
        try read { db in
            try CampaignRunControlRow.one(db.cachedStatement(sql: """
                SELECT status, pause_reason, pause_source FROM campaign_runs WHERE id = ?
                """), [id], table: "campaign_runs")?.control()
        }
    }

    /// Whether every recipient of the audience has been queued (`finishQueueing` ran).
    public func campaignRunQueuedAll(id: Int64) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT queued_all FROM campaign_runs WHERE id = ?"), arguments: [id]) ?? false
        }
    }

    /// Start, end, first and last send, and the achieved rate of a run.
    public func campaignRunTiming(id: Int64) throws -> CampaignRunTiming? {
        try read { db in
            guard let row = try CampaignRunTimingRow.one(db.cachedStatement(sql: """
                SELECT created_at, started_at, finished_at, first_send_at, last_send_at FROM campaign_runs WHERE id = ?
                """), [id], table: "campaign_runs") else { return nil }
            let attempted = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT COUNT(*) FROM outbox WHERE run_id = ? AND state IN ('accepted', 'sent', 'delivered', 'read', 'failed', 'unknown')
                """), arguments: [id]) ?? 0
            return try row.timing(runID: id, attempted: attempted)
        }
    }

    // MARK: - Moving runs

    /// `queued`/`running` -> `running`, stamping `started_at` the first time. False when the
    /// run is paused, finished or unknown.
    @discardableResult
    public func startCampaignRun(id: Int64, at: Date) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET status = 'running', started_at = COALESCE(started_at, ?2)
                WHERE id = ?1 AND status IN ('queued', 'running')
                """).execute(arguments: [id, Timestamps.formatMilliseconds(at)])
            return db.changesCount > 0
        }
    }

    /// `running` -> `completed`, only when no recipient is left queued or sending.
    @discardableResult
    public func completeCampaignRun(id: Int64, at: Date) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET status = 'completed', finished_at = ?2, lease_holder = NULL, lease_until = NULL
                WHERE id = ?1 AND status = 'running' AND queued_all
                  AND NOT EXISTS (SELECT 1 FROM outbox WHERE run_id = ?1 AND state IN ('queued', 'sending'))
                """).execute(arguments: [id, Timestamps.formatMilliseconds(at)])
            return db.changesCount > 0
        }
    }

    /// Pauses a `queued` or `running` run. A run paused by the window or by `suspend` can be
    /// paused again for another reason (which then needs a manual resume). False otherwise.
    @discardableResult
    public func pauseCampaignRun(id: Int64, reason: String, source: CampaignPauseSource, at: Date) throws -> Bool {
        try write { db in
            try !Campaigns.pause(where: "id = ?4", id, reason: reason, source: source, db).isEmpty
        }
    }

    /// Pauses every `queued`/`running` run of `campaign`; returns their ids.
    @discardableResult
    public func pauseCampaignRuns(campaign: String, reason: String, source: CampaignPauseSource, at: Date) throws -> [Int64] {
        try write { db in
            try Campaigns.pause(where: "campaign = ?4", campaign, reason: reason, source: source, db)
        }
    }

    /// `paused` -> `running` (or `queued` when it never started). With `onlyPausedBy`, only a
    /// pause from one of those sources is lifted (the scheduler lifts window and suspend pauses).
    @discardableResult
    public func resumeCampaignRun(id: Int64, onlyPausedBy sources: Set<CampaignPauseSource>? = nil, at: Date) throws -> Bool {
        try write { db in try !Campaigns.resume(where: "id = ?1", id, sources: sources, db).isEmpty }
    }

    /// Resumes every paused run of `campaign`; returns their ids.
    @discardableResult
    public func resumeCampaignRuns(campaign: String, onlyPausedBy sources: Set<CampaignPauseSource>? = nil,
                                   at: Date) throws -> [Int64] {
        try write { db in try Campaigns.resume(where: "campaign = ?1", campaign, sources: sources, db) }
    }

    /// Cancels a `queued`, `running` or `paused` run: its still-queued recipients become
    /// `skipped` ("run cancelled"); rows being sent keep their outcome.
    @discardableResult
    public func cancelCampaignRun(id: Int64, at: Date) throws -> Bool {
        try write { db in try !Campaigns.cancel(where: "id = ?1", id, at: at, db).isEmpty }
    }

    /// Cancels every unfinished run of `campaign`; returns their ids.
    @discardableResult
    public func cancelCampaignRuns(campaign: String, at: Date) throws -> [Int64] {
        try write { db in try Campaigns.cancel(where: "campaign = ?1", campaign, at: at, db) }
    }

    /// Marks a run that never started (`queued`, or paused before its first send) `expired`.
    @discardableResult
    public func expireCampaignRun(id: Int64, reason: String, at: Date) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET status = 'expired', pause_reason = ?2, pause_source = NULL, finished_at = ?3
                WHERE id = ?1 AND status IN ('queued', 'paused') AND started_at IS NULL
                """).execute(arguments: [id, reason, Timestamps.formatMilliseconds(at)])
            return db.changesCount > 0
        }
    }

    // MARK: - Lease

    /// Takes (or renews) the run's lease for `holder` until `until`. Free, expired (before
    /// `now`), already held by `holder`, or held by `replacing` (a holder the caller knows is
    /// dead) all succeed; otherwise `.held` names the holder.
    public func acquireCampaignRunLease(id: Int64, holder: String, until: Date, now: Date,
                                        replacing: String? = nil) throws -> CampaignRunLease {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET lease_holder = ?2, lease_until = ?3
                WHERE id = ?1 AND (lease_holder IS NULL OR lease_holder = ?2 OR lease_until IS NULL OR lease_until < ?4
                                   OR lease_holder = ?5)
                """).execute(arguments: [id, holder, Timestamps.formatMilliseconds(until), Timestamps.formatMilliseconds(now), replacing])
            if db.changesCount > 0 { return .acquired }
            guard let lease = try Campaigns.lease(id: id, db) else { return .noRun }
            return .held(by: lease.holder ?? "", until: lease.expiry)
        }
    }

    /// Gives the lease back if `holder` has it.
    public func releaseCampaignRunLease(id: Int64, holder: String) throws {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE campaign_runs SET lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?
                """).execute(arguments: [id, holder])
        }
    }

    /// The current lease holder and its expiry, if any.
    public func campaignRunLease(id: Int64) throws -> (holder: String, until: Date)? {
        try read { db in
            guard let lease = try Campaigns.lease(id: id, db), let holder = lease.holder else { return nil }
            return (holder, lease.expiry)
        }
    }
}

enum Campaigns {
    static let columns = "id, campaign, \"trigger\", scheduled_for, status, pause_reason, created_at, started_at, finished_at, recipients"

    static func status(_ text: String) throws -> CampaignRunRecord.Status {
        guard let status = CampaignRunRecord.Status(rawValue: text) else {
            throw StoreError.corrupt("campaign run has an unknown status \(text)")
        }
        return status
    }

    static func date(_ text: String?, _ what: String) throws -> Date {
        guard let text, let date = Timestamps.parse(text) else { throw StoreError.corrupt("\(what) is unreadable: \(text ?? "NULL")") }
        return date
    }

    static func lease(id: Int64, _ db: Database) throws -> CampaignRunLeaseRow? {
        try CampaignRunLeaseRow.one(db.cachedStatement(sql: "SELECT lease_holder, lease_until FROM campaign_runs WHERE id = ?"), [id],
                                    table: "campaign_runs")
    }

    static func insertRun(campaign: String, trigger: CampaignRunRecord.Trigger, scheduledFor: Date?, status: CampaignRunRecord.Status,
                          reason: String?, at: Date, _ db: Database) throws -> (run: CampaignRunRecord, created: Bool) {
        let stamp = Timestamps.formatMilliseconds(at)
        let occurrence = scheduledFor.map(Timestamps.formatMilliseconds)
        try db.cachedStatement(sql: """
            INSERT INTO campaign_runs (campaign, "trigger", scheduled_for, status, pause_reason, created_at, finished_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?4 = 'expired' THEN ?6 END)
            ON CONFLICT(campaign, scheduled_for) DO NOTHING
            """).execute(arguments: [campaign, trigger.rawValue, occurrence, status.rawValue, reason, stamp])
        let created = db.changesCount > 0
        let row: CampaignRunRow?
        if created {
            row = try CampaignRunRow.one(db.cachedStatement(sql: "SELECT \(columns) FROM campaign_runs WHERE id = ?"),
                                         [db.lastInsertedRowID], table: "campaign_runs")
        } else {
            row = try CampaignRunRow.one(db.cachedStatement(sql: """
                SELECT \(columns) FROM campaign_runs WHERE campaign = ? AND scheduled_for = ?
                """), [campaign, occurrence], table: "campaign_runs")
        }
        guard let row else { throw StoreError.conflict("campaign run for \(campaign) could not be created") }
        return (try row.record(), created)
    }

    /// `?1` reason, `?2` source, `?3` is the source a soft one, `?4` the selector's value.
    static func pause(where selector: String, _ value: any DatabaseValueConvertible, reason: String, source: CampaignPauseSource,
                      _ db: Database) throws -> [Int64] {
        let soft = source == .window || source == .suspend
        return try Int64.fetchAll(db, sql: """
            UPDATE campaign_runs SET status = 'paused', pause_reason = ?1, pause_source = ?2
            WHERE \(selector) AND (status IN ('queued', 'running')
                                   OR (status = 'paused' AND pause_source IN ('window', 'suspend') AND NOT ?3
                                       AND pause_source IS NOT ?2))
            RETURNING id
            """, arguments: [reason, source.rawValue, soft, value])
    }

    static func resume(where selector: String, _ value: any DatabaseValueConvertible, sources: Set<CampaignPauseSource>?,
                       _ db: Database) throws -> [Int64] {
        var sql = """
            UPDATE campaign_runs SET status = CASE WHEN started_at IS NULL THEN 'queued' ELSE 'running' END,
                                     pause_reason = NULL, pause_source = NULL
            WHERE \(selector) AND status = 'paused'
            """
        var arguments: [any DatabaseValueConvertible] = [value]
        if let sources {
            guard !sources.isEmpty else { return [] }
            sql += " AND pause_source IN (\(sources.map { _ in "?" }.joined(separator: ", ")))"
            arguments += sources.map(\.rawValue).sorted()
        }
        return try Int64.fetchAll(db, sql: sql + " RETURNING id", arguments: StatementArguments(arguments))
    }

    static func cancel(where selector: String, _ value: any DatabaseValueConvertible, at: Date, _ db: Database) throws -> [Int64] {
        let stamp = Timestamps.formatMilliseconds(at)
        let ids = try Int64.fetchAll(db, sql: """
            UPDATE campaign_runs SET status = 'cancelled', finished_at = ?2, lease_holder = NULL, lease_until = NULL
            WHERE \(selector) AND status IN ('queued', 'running', 'paused')
            RETURNING id
            """, arguments: [value, stamp])
        let skip = try db.cachedStatement(sql: """
            UPDATE outbox SET state = 'skipped', skip_reason = 'run cancelled', next_attempt_at = NULL, updated_at = ?2
            WHERE run_id = ?1 AND state = 'queued'
            """)
        for id in ids { try skip.execute(arguments: [id, stamp]) }
        return ids
    }
}
