import BizOneModel
import Foundation
import GRDB

/// Audiences: streaming imports, and recipients and counts evaluated in SQL (see
/// `AudienceQuery` for how sources, filters, exclusions and opt-outs combine).
extension StateStore {
    /// Replaces the members of `audience` with `rows`, in one write transaction, in constant
    /// memory: rows are staged and de-duplicated in SQLite as they stream in (the first row of
    /// a phone number wins, an opt-out on any of its rows sticks, tags are united), then merged
    /// into `contacts` (see `applyChange`) and `audience_members`. Returns, and records, the
    /// import's counts. An error thrown by the source leaves the state as it was.
    ///
    /// `applyChange(_:runID:sequence:at:revision:audienceRows:)` does the same as part of an
    /// apply; this one imports outside of a run (tools, tests, benchmarks).
    @discardableResult
    public func importAudience(_ audience: String, from source: some AudienceRowSource, at date: Date) throws -> AudienceImportCounts {
        try write { db in try AudienceProjection.importRows(of: audience, from: source, at: date, db) }
    }

    /// `importAudience` over contacts at hand.
    @discardableResult
    public func importAudience(_ audience: String, rows: some Sequence<AudienceContact>, at date: Date) throws -> AudienceImportCounts {
        try importAudience(audience, from: AudienceContactRows(rows), at: date)
    }

    /// The counts the audience's last import recorded; nil when it was never imported.
    public func audienceImportCounts(_ audience: String) throws -> AudienceImportCounts? {
        try read { db in try Self.importCounts(audience, db) }
    }

    /// Hands the audience's recipients to `visit`, `batch` at a time, in phone-number order:
    /// its members and the contacts its filter matches, minus exclusions, never an opted-out
    /// contact. Each batch is read in its own short read transaction and `visit` runs outside
    /// it, so `visit` may write to the store, and memory holds one batch whatever the size of
    /// the audience. (A contact that changes between batches is seen as it is when its batch
    /// is read.) An error thrown by `visit` stops the scan.
    public func audienceRecipients(_ audience: String, spec: AudienceSpec, now: Date, batch: Int,
                                   _ visit: ([AudienceRecipient]) throws -> Void) throws {
        let query = try AudienceQuery(audience: audience, spec: spec, now: now, members: .stored)
        let size = max(1, batch)
        var after = ""
        while true {
            let page = try read { db in try query.recipients(after: after, limit: size, db) }
            guard let last = page.last else { return }
            try visit(page)
            guard page.count == size else { return }
            after = last.phone
        }
    }

    /// The audience as the state holds it: the last import's row counts, and how many of its
    /// contacts are opted out, excluded and finally messaged at `now`.
    public func audienceCounts(_ audience: String, spec: AudienceSpec, now: Date) throws -> AudienceCounts {
        let query = try AudienceQuery(audience: audience, spec: spec, now: now, members: .stored)
        return try read { db in
            let imported = try Self.importCounts(audience, db) ?? AudienceImportCounts()
            return Self.counts(imported, try query.counts(db))
        }
    }

    /// What the audience would be if `rows` were imported now, without changing the state:
    /// its counts and its first `sample` recipients by phone number. The rows are staged in a
    /// temporary table of a read connection, so a preview never blocks a writer (`serve`) and
    /// memory stays constant however many rows there are. Nil `rows` previews an audience
    /// with no rows of its own (a filter only).
    public func previewAudience(_ audience: String, spec: AudienceSpec, rows: (any AudienceRowSource)?, now: Date,
                                sample: Int = 10) throws -> AudiencePreview {
        let query = try AudienceQuery(audience: audience, spec: spec, now: now, members: .staged)
        return try read { db in
            defer { try? AudienceProjection.Staging.drop(db) }
            let source: any AudienceRowSource = rows ?? AudienceContactRows([AudienceContact]())
            let imported = try AudienceProjection.stage(source, db)
            let counts = Self.counts(imported, try query.counts(db))
            let recipients = sample > 0 ? try query.recipients(after: "", limit: sample, db) : []
            return AudiencePreview(counts: counts, sample: recipients)
        }
    }

    /// The state's audience: counts and the first `sample` recipients, in one snapshot.
    public func audiencePreview(_ audience: String, spec: AudienceSpec, now: Date, sample: Int = 10) throws -> AudiencePreview {
        let query = try AudienceQuery(audience: audience, spec: spec, now: now, members: .stored)
        return try read { db in
            let imported = try Self.importCounts(audience, db) ?? AudienceImportCounts()
            let counts = Self.counts(imported, try query.counts(db))
            let recipients = sample > 0 ? try query.recipients(after: "", limit: sample, db) : []
            return AudiencePreview(counts: counts, sample: recipients)
        }
    }

    private static func counts(_ imported: AudienceImportCounts, _ evaluated: (contacts: Int, optedOut: Int, excluded: Int)) -> AudienceCounts {
        AudienceCounts(rows: imported.rows, valid: imported.valid, invalid: imported.invalid, duplicates: imported.duplicates,
                       contacts: evaluated.contacts, optedOut: evaluated.optedOut, excluded: evaluated.excluded,
                       final: evaluated.contacts - evaluated.optedOut - evaluated.excluded)
    }

    private static func importCounts(_ audience: String, _ db: Database) throws -> AudienceImportCounts? {
        try AudienceImportRow.one(db.cachedStatement(sql: """
            SELECT audience, rows, valid, invalid, duplicates, members, opted_out FROM audience_imports WHERE audience = ?
            """), [audience], table: "audience_imports")?.counts
    }
}
