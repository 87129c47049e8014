import BizOneModel
import Foundation
import GRDB

/// Keeps `template_state`, `template_edits`, `template_creates` and `template_history` in step
/// with applied template changes, inside the change's own transaction (so Meta's id can never
/// be lost for a call that finished), and applies status observations.
///
/// Every history entry is a snapshot of the template's state after the event.
enum TemplateProjection {
    static let applySource = "apply"
    static let deletedEvent = "deleted"
    /// History source of webhooks kept until their template was recorded: they came by webhook.
    static let earlySource = "webhook"

    /// Runs before `ChangeWriter` (a delete needs to see whether anything was there).
    static func apply(_ change: PlanChange, write: TemplateWrite?, at date: Date, _ db: Database) throws {
        guard change.id.kind == .template else {
            if write != nil {
                throw StoreError.invalidChange("\(change.id) is not a template but came with a template write")
            }
            return
        }
        switch change.action {
        case .delete:
            if write != nil {
                throw StoreError.invalidChange("\(change.id) is deleted but came with a template write")
            }
            try delete(change.id, at: date, db)
        case .replace:
            // Deleted then created at Meta: a new template with a fresh status and edit quota;
            // its history and the creation log stay.
            guard let write else { return }
            try removeState(of: change.id, db)
            try record(write, for: change.id, at: date, db)
        case .create, .adopt, .update:
            guard let write else { return }
            try record(write, for: change.id, at: date, db)
        case .pending:
            return // ChangeWriter refuses it
        }
    }

    /// Upserts the state row from what Meta returned, logs the create / approved edit it
    /// counts as, and appends a history entry named after the write's event.
    ///
    /// When the status changes, `status_changed_at` moves and the stored rejection reason is
    /// cleared: it described the old status, and the write carries none.
    private static func record(_ write: TemplateWrite, for id: ResourceID, at date: Date, _ db: Database) throws {
        var row = try TemplateStateRow.fetchOne(db, key: id.description) ?? TemplateStateRow(id: id, at: date)
        if row.status != write.status {
            row.statusChangedAt = date
            row.reason = nil
            row.reasonDetail = nil
        }
        row.templateID = write.templateID
        row.status = write.status
        row.category = write.category
        row.appliedFingerprint = write.appliedFingerprint
        row.updatedAt = date
        try row.save(db)

        if write.countsAsCreate {
            try TemplateCreateRow(at: date, resourceID: id.description, templateID: write.templateID).insert(db)
        }
        if write.countsAsApprovedEdit {
            try TemplateEditRow(resourceID: id.description, at: date).insert(db)
        }
        try history(id, row, event: write.event.rawValue, source: applySource, at: date, db)
        try claimEarlyEvents(of: write.templateID, for: id, db)
    }

    /// Applies, in Meta's order, the template webhooks that arrived for Meta's id before this
    /// write recorded it, then drops them. They are newer than the status Meta answered the
    /// call with (Meta sends them about a template only once it exists), so unlike webhooks
    /// for a known template they are not compared with the stored status' time: that time is
    /// this write's, on BizOne's clock.
    private static func claimEarlyEvents(of templateID: String, for id: ResourceID, _ db: Database) throws {
        let early = try EarlyTemplateEventRow.chronological()
            .filter(EarlyTemplateEventRow.Columns.templateID == templateID)
            .fetchAll(db)
        guard !early.isEmpty else { return }
        for event in early { _ = try recordStatus(event.update(for: id, source: earlySource), db) }
        _ = try EarlyTemplateEventRow.filter(EarlyTemplateEventRow.Columns.templateID == templateID).deleteAll(db)
    }

    /// Removes the state row and the edit log; history and creation log are kept. A "deleted"
    /// entry is written only when there was something to delete, so a re-run adds none.
    private static func delete(_ id: ResourceID, at date: Date, _ db: Database) throws {
        let existed = try TemplateStateRow.exists(db, key: id.description) || ResourceRow.exists(db, key: id.description)
        try removeState(of: id, db)
        if existed {
            try TemplateHistoryRow(id: id, TemplateHistoryEntry(at: date, event: deletedEvent, source: applySource)).insert(db)
        }
    }

    private static func removeState(of id: ResourceID, _ db: Database) throws {
        _ = try TemplateStateRow.deleteOne(db, key: id.description)
        try TemplateEditRow.filter(TemplateEditRow.Columns.resourceID == id.description).deleteAll(db)
    }

    /// Applies the non-nil fields of an observation; see `StateStore.recordTemplateStatus`.
    static func recordStatus(_ update: TemplateStatusUpdate, _ db: Database) throws -> Bool {
        let before = try TemplateStateRow.fetchOne(db, key: update.id.description) ?? TemplateStateRow(id: update.id, at: update.at)
        var row = before
        if let templateID = update.templateID { row.templateID = templateID }
        if let status = update.status {
            // A reason describes the status it came with: a new status without one clears it
            // (a template approved after a rejection must not keep the old reason).
            if status != before.status && update.reason == nil {
                row.reason = nil
                row.reasonDetail = nil
            }
            row.status = status
        }
        if let category = update.category { row.category = category }
        if let quality = update.quality { row.quality = quality }
        if let reason = update.reason { row.reason = reason }
        if let reasonDetail = update.reasonDetail { row.reasonDetail = reasonDetail }
        if row.sameFacts(as: before) { return false }

        let statusChanged = row.status != before.status
        if statusChanged { row.statusChangedAt = update.at }
        row.updatedAt = update.at
        try row.save(db)

        let event: String?
        if statusChanged {
            event = "status"
        } else if row.quality != before.quality {
            event = "quality"
        } else if row.category != before.category {
            event = "category"
        } else if row.reason != before.reason || row.reasonDetail != before.reasonDetail {
            event = "reason"
        } else {
            event = nil // only Meta's id was learnt: nothing to tell in the history
        }
        if let event {
            try history(update.id, row, event: event, source: update.source, at: update.at, db)
        }
        return true
    }

    private static func history(_ id: ResourceID, _ row: TemplateStateRow, event: String, source: String, at date: Date,
                                _ db: Database) throws {
        let entry = TemplateHistoryEntry(at: date, event: event, status: row.status, category: row.category, quality: row.quality,
                                         reason: row.reason, detail: row.reasonDetail, source: source)
        try TemplateHistoryRow(id: id, entry).insert(db)
    }
}
