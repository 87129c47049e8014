import BizOneModel
import Foundation
import GRDB

extension StateStore {
    /// Records the start of a run (outcome "running" until `finishApplyRun`), so a run whose
    /// process died still shows up.
    public func beginApplyRun(_ run: ApplyRunStart) throws {
        try write { db in try ApplyRunRow(run).insert(db) }
    }

    /// Executes one change in ONE write transaction: the `resources` row, the inventory (a
    /// create makes BizOne the creator; a delete removes it), the kind's projections, and the
    /// change's "applied" outcome row. When `audienceRows` is non-nil (audiences only) the rows
    /// are streamed into the audience (see `importAudience`): its members become exactly these
    /// contacts, the contacts are upserted and the import's counts, returned, are recorded. An
    /// error from the rows (a CSV that changed since the plan) rolls the whole change back.
    ///
    /// Re-applying a change that already landed converges (creates upsert, deletes of missing
    /// rows do nothing), which is what a re-run after a crash needs.
    ///
    /// `template` (templates only) is what Meta answered: it upserts `template_state` (id,
    /// status, category, applied fingerprint), logs the creation and/or approved edit it counts
    /// as, and adds a history entry named after its event. A `.replace` with a write starts a
    /// fresh state row and edit log (history and creation log stay). A template `.delete`
    /// removes its state row and edit log and adds a "deleted" history entry; it takes no write.
    @discardableResult
    public func applyChange(_ change: PlanChange, runID: String, sequence: Int, at date: Date, revision: String?,
                            audienceRows: (any AudienceRowSource)?, message: String? = nil,
                            template: TemplateWrite? = nil) throws -> AudienceImportCounts? {
        let writer = ChangeWriter(change: change, runID: runID, date: date, revision: revision, audienceRows: audienceRows)
        return try write { db in
            try Self.requireRun(runID, db)
            try TemplateProjection.apply(change, write: template, at: date, db)
            let counts = try writer.apply(db)
            try ApplyChangeRow(change: change, runID: runID, sequence: sequence, outcome: ApplyChangeRecord.applied,
                               message: message).insert(db)
            return counts
        }
    }

    /// `applyChange` with the audience's contacts at hand (duplicates allowed; the first of a
    /// phone number wins, opt-outs stick).
    public func applyChange<S: Sequence>(_ change: PlanChange, runID: String, sequence: Int, at date: Date,
                                         revision: String?, audienceContacts: S?, message: String? = nil,
                                         template: TemplateWrite? = nil) throws
    where S.Element == AudienceContact {
        var rows: (any AudienceRowSource)?
        if let audienceContacts { rows = AudienceContactRows(audienceContacts) }
        try applyChange(change, runID: runID, sequence: sequence, at: date, revision: revision,
                        audienceRows: rows, message: message, template: template)
    }

    /// `applyChange` for changes that carry no audience contacts.
    public func applyChange(_ change: PlanChange, runID: String, sequence: Int, at date: Date,
                            revision: String?, message: String? = nil, template: TemplateWrite? = nil) throws {
        try applyChange(change, runID: runID, sequence: sequence, at: date, revision: revision,
                        audienceRows: nil, message: message, template: template)
    }

    /// Records that a change failed; nothing else is touched (its transaction rolled back).
    public func recordFailedChange(_ change: PlanChange, runID: String, sequence: Int, message: String) throws {
        try write { db in
            try Self.requireRun(runID, db)
            try ApplyChangeRow(change: change, runID: runID, sequence: sequence, outcome: ApplyChangeRecord.failed,
                               message: message).insert(db)
        }
    }

    /// Sets `finishedAt` and `outcome` ("succeeded", "failed", "partial"); when `changed`, the
    /// state serial is incremented in the same transaction, so saved plans made before go stale.
    /// Returns the serial after the run.
    @discardableResult
    public func finishApplyRun(id: String, at date: Date, outcome: String, changed: Bool) throws -> Int {
        try write { db in
            guard var run = try ApplyRunRow.fetchOne(db, key: id) else { throw StoreError.unknownRun(id) }
            var serial = try MetaRow.serial(db)
            if changed {
                serial += 1
                try MetaRow.setSerial(db, serial)
            }
            run.finishedAt = date
            run.outcome = outcome
            run.resultSerial = serial
            try run.update(db)
            return serial
        }
    }

    /// The most recent runs, newest first.
    public func applyRuns(limit: Int) throws -> [ApplyRunRecord] {
        try read { db in try ApplyRunRow.newestFirst().limit(max(0, limit)).fetchAll(db).map(\.record) }
    }

    public func applyRun(id: String) throws -> ApplyRunRecord? {
        try read { db in try ApplyRunRow.fetchOne(db, key: id)?.record }
    }

    /// The changes of one run, in sequence order.
    public func changes(runID: String) throws -> [ApplyChangeRecord] {
        try read { db in
            try ApplyChangeRow
                .filter(ApplyChangeRow.Columns.runID == runID)
                .order(ApplyChangeRow.Columns.sequence)
                .fetchAll(db)
                .map { try $0.record() }
        }
    }

    private static func requireRun(_ runID: String, _ db: Database) throws {
        guard try ApplyRunRow.exists(db, key: runID) else { throw StoreError.unknownRun(runID) }
    }
}
