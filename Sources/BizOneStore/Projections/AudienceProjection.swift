import BizOneModel
import Foundation
import GRDB

/// Keeps `audience_members` equal to the audience's last imported list, `contacts` up to date,
/// and the import's counts in `audience_imports`.
///
/// An import streams: each row goes into a per-import staging table (`temp.audience_staging`,
/// keyed by phone, on disk like every SQLite temp table), which collapses duplicates as they
/// arrive: the first row of a phone number wins, an opt-out on any of its rows sticks, tags are
/// united. Then two statements move the staged contacts into `contacts` and the members into
/// `audience_members`. Nothing is held in memory per row, so a million-row CSV imports in
/// constant memory, inside the caller's one transaction.
///
/// Contacts are shared by every audience (and by inbound messages), so an import merges into
/// them rather than overwriting: a missing name keeps the known one, attributes merge (the
/// import wins per key), tags are united, and an opt-out is sticky.
enum AudienceProjection {
    @discardableResult
    static func importRows(of audience: String, from source: some AudienceRowSource, at date: Date,
                           _ db: Database) throws -> AudienceImportCounts {
        defer { try? Staging.drop(db) }
        let counts = try stage(source, db)
        let now = Timestamps.format(date)
        try removeMembers(of: audience, db)
        try db.execute(sql: mergeStagedSQL, arguments: [now])
        try db.execute(sql: "INSERT INTO audience_members (audience, phone) SELECT ?, phone FROM temp.audience_staging",
                       arguments: [audience])
        try db.execute(sql: """
            INSERT INTO audience_imports (audience, rows, valid, invalid, duplicates, members, opted_out, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [audience, counts.rows, counts.valid, counts.invalid, counts.duplicates, counts.members,
                             counts.optedOut, now])
        return counts
    }

    static func removeMembers(of audience: String, _ db: Database) throws {
        try AudienceMemberRow.filter(AudienceMemberRow.Columns.audience == audience).deleteAll(db)
        try db.execute(sql: "DELETE FROM audience_imports WHERE audience = ?", arguments: [audience])
    }

    /// Reads every row of `source` into a fresh `temp.audience_staging` on this connection
    /// (the caller drops it with `Staging.drop`). Works on a read-only connection too: temp
    /// tables live outside the state file, which is what `previewAudience` relies on.
    static func stage(_ source: some AudienceRowSource, _ db: Database) throws -> AudienceImportCounts {
        try Staging.create(db)
        let insert = try db.makeStatement(sql: stageSQL)
        var valid = 0
        let totals = try source.readRows { contact in
            valid += 1
            try insert.execute(arguments: [
                contact.phone, contact.name, JSONValue(strings: contact.attributes).canonicalString,
                JSONValue(stringSet: contact.tags).canonicalString, contact.optedOut,
            ])
        }
        guard let staged = try StagingCountsRow.one(db.makeStatement(sql: """
            SELECT count(*) AS members, total(opted_out) AS opted_out FROM temp.audience_staging
            """), table: "temp.audience_staging") else {
            throw StoreError.database("counting temp.audience_staging returned no row")
        }
        let members = staged.members
        let optedOut = try StagingCountsRow.count(staged.optedOut, "total(opted_out) of temp.audience_staging")
        return AudienceImportCounts(rows: totals.rows, valid: valid, invalid: totals.invalid, duplicates: valid - members,
                                    members: members, optedOut: optedOut)
    }

    enum Staging {
        static func create(_ db: Database) throws {
            try drop(db)
            try db.execute(sql: """
                CREATE TEMP TABLE audience_staging (
                  phone TEXT NOT NULL PRIMARY KEY,
                  name TEXT,
                  attributes TEXT NOT NULL,
                  tags TEXT NOT NULL,
                  opted_out INTEGER NOT NULL
                ) WITHOUT ROWID
                """)
        }

        static func drop(_ db: Database) throws {
            try db.execute(sql: "DROP TABLE IF EXISTS temp.audience_staging")
        }
    }

    /// One staged row: the first row of a phone wins; later rows add their opt-out and tags.
    static let stageSQL = """
        INSERT INTO temp.audience_staging AS s (phone, name, attributes, tags, opted_out) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(phone) DO UPDATE SET
          opted_out = (s.opted_out OR excluded.opted_out),
          tags = CASE WHEN excluded.tags = '[]' THEN s.tags ELSE
                   (SELECT json_group_array(value) FROM
                     (SELECT value FROM json_each(s.tags) UNION SELECT value FROM json_each(excluded.tags) ORDER BY value)) END
        """

    /// Staged rows into `contacts`: insert, or merge into the existing row and touch
    /// `updated_at` only when something changed (the WHERE of the upsert).
    static let mergeStagedSQL = """
        INSERT INTO contacts (phone, name, attributes, tags, opted_out, opted_out_at, created_at, updated_at)
        SELECT phone, name, attributes, tags, opted_out, CASE WHEN opted_out THEN ?1 END, ?1, ?1
        FROM temp.audience_staging WHERE true
        ON CONFLICT(phone) DO UPDATE SET
          name = COALESCE(excluded.name, contacts.name),
          attributes = json_patch(contacts.attributes, excluded.attributes),
          tags = (SELECT json_group_array(value) FROM
                   (SELECT value FROM json_each(contacts.tags) UNION SELECT value FROM json_each(excluded.tags) ORDER BY value)),
          opted_out = (contacts.opted_out OR excluded.opted_out),
          opted_out_at = CASE WHEN contacts.opted_out THEN contacts.opted_out_at ELSE excluded.opted_out_at END,
          updated_at = excluded.updated_at
        WHERE COALESCE(excluded.name, contacts.name) IS NOT contacts.name
           OR json_patch(contacts.attributes, excluded.attributes) IS NOT json(contacts.attributes)
           OR (SELECT json_group_array(value) FROM
                (SELECT value FROM json_each(contacts.tags) UNION SELECT value FROM json_each(excluded.tags) ORDER BY value))
              IS NOT json(contacts.tags)
           OR (excluded.opted_out AND NOT contacts.opted_out)
        """
}
