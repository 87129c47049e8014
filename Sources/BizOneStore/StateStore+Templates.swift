import BizOneModel
import Foundation
import GRDB

/// What the state remembers of templates at Meta (DESIGN.md §5): id, last known status,
/// the approved-edit and creation logs the quotas need, and a history. Apply writes go through
/// `applyChange(..., template:)`; observations from sync, `apply --wait` and webhooks through
/// `recordTemplateStatus`.
extension StateStore {
    /// Every template the state knows at Meta, with its approved edits oldest first.
    public func templateRecords() throws -> [ResourceID: TemplateRecord] {
        try read { db in
            var edits: [String: [Date]] = [:]
            for edit in try TemplateEditRow.chronological().fetchAll(db) { edits[edit.resourceID, default: []].append(edit.at) }
            var records: [ResourceID: TemplateRecord] = [:]
            for row in try TemplateStateRow.fetchAll(db) {
                let record = try row.record(approvedEdits: edits[row.resourceID] ?? [])
                records[record.id] = record
            }
            return records
        }
    }

    /// One template's record, or nil when the state knows nothing of it at Meta.
    public func templateRecord(_ id: ResourceID) throws -> TemplateRecord? {
        try read { db in
            guard let row = try TemplateStateRow.fetchOne(db, key: id.description) else { return nil }
            return try Self.record(row, db)
        }
    }

    /// The template with Meta's id `templateID` (webhooks carry only that), or nil.
    public func templateState(byTemplateID templateID: String) throws -> TemplateRecord? {
        try read { db in
            guard let row = try TemplateStateRow
                .filter(TemplateStateRow.Columns.templateID == templateID)
                .order(TemplateStateRow.Columns.resourceID)
                .fetchOne(db) else { return nil }
            return try Self.record(row, db)
        }
    }

    /// Times of the creations Meta accepted at or after `since` (second precision), oldest
    /// first; deleted templates' creations included.
    public func templateCreates(since: Date) throws -> [Date] {
        try read { db in
            try TemplateCreateRow
                .filter(TemplateCreateRow.Columns.at >= Timestamps.format(since))
                .order(TemplateCreateRow.Columns.at, Column.rowID)
                .fetchAll(db)
                .map(\.at)
        }
    }

    /// Applies a status observation: only its non-nil fields are stored; `status_changed_at`
    /// moves when the status does. Adds a history entry ("status", else "quality", else
    /// "category", else "reason" for what changed, snapshotting the state after it) and returns
    /// whether anything stored changed. Creates the template's row when there is none yet.
    @discardableResult
    public func recordTemplateStatus(_ update: TemplateStatusUpdate) throws -> Bool {
        guard update.id.kind == .template else {
            throw StoreError.invalidChange("\(update.id) is not a template; it has no template status")
        }
        return try write { db in try TemplateProjection.recordStatus(update, db) }
    }

    /// A template's history oldest first; with `limit`, only the newest `limit` entries (still
    /// oldest first).
    public func templateHistory(_ id: ResourceID, limit: Int? = nil) throws -> [TemplateHistoryEntry] {
        try read { db in
            let rows = TemplateHistoryRow.filter(TemplateHistoryRow.Columns.resourceID == id.description)
            if let limit {
                return try rows
                    .order(TemplateHistoryRow.Columns.at.desc, TemplateHistoryRow.Columns.id.desc)
                    .limit(max(0, limit))
                    .fetchAll(db)
                    .reversed()
                    .map(\.entry)
            }
            return try rows
                .order(TemplateHistoryRow.Columns.at, TemplateHistoryRow.Columns.id)
                .fetchAll(db)
                .map(\.entry)
        }
    }

    /// Logs an edit made while the template was APPROVED (seeding quotas in tests, importing
    /// history); creates the template's row when there is none.
    public func recordApprovedEdit(_ id: ResourceID, at date: Date) throws {
        guard id.kind == .template else {
            throw StoreError.invalidChange("\(id) is not a template; it has no edit quota")
        }
        try write { db in
            try TemplateStateRow(id: id, at: date).insert(db, onConflict: .ignore)
            try TemplateEditRow(resourceID: id.description, at: date).insert(db)
        }
    }

    static func record(_ row: TemplateStateRow, _ db: Database) throws -> TemplateRecord {
        let edits = try TemplateEditRow.chronological()
            .filter(TemplateEditRow.Columns.resourceID == row.resourceID)
            .fetchAll(db)
            .map(\.at)
        return try row.record(approvedEdits: edits)
    }
}

extension StateStore {
    /// How long a template webhook about an unknown Meta id is kept for its apply: an apply
    /// records the id right after Meta's answer, so anything older is about a template made
    /// outside BizOne (WhatsApp Manager) and would never be claimed.
    public static let earlyTemplateEventLifetime: TimeInterval = 24 * 3600

    /// Keeps a template webhook that arrived before its template was recorded; the apply that
    /// records a template with `event.templateID` applies it in its own transaction
    /// (`TemplateProjection`). The check that no template has the id yet happens inside this
    /// write, so an apply that committed after the caller's lookup cannot be missed: the answer
    /// is then `.templateKnown`. Kept events older than `earlyTemplateEventLifetime` go.
    public func parkEarlyTemplateEvent(_ event: EarlyTemplateEvent) throws -> EarlyTemplateParking {
        try write { db in
            if try TemplateStateRow.filter(TemplateStateRow.Columns.templateID == event.templateID).fetchCount(db) > 0 {
                return .templateKnown
            }
            let expiry = event.receivedAt.addingTimeInterval(-Self.earlyTemplateEventLifetime)
            try EarlyTemplateEventRow.filter(EarlyTemplateEventRow.Columns.receivedAt < Timestamps.format(expiry)).deleteAll(db)
            try EarlyTemplateEventRow(event).insert(db, onConflict: .ignore)
            return .kept
        }
    }

    /// The kept template webhooks, oldest first (for `status` and tests).
    public func earlyTemplateEvents() throws -> [EarlyTemplateEvent] {
        try read { db in try EarlyTemplateEventRow.chronological().fetchAll(db).compactMap(\.value) }
    }
}
