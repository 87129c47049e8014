import BizOneModel
import Foundation
import GRDB

/// Keeps `audience_members` equal to the audience's last imported list, and `contacts` up to date.
///
/// Contacts are shared by every audience (and later by inbound messages), so an import merges
/// into them rather than overwriting: a missing name keeps the known one, attributes merge
/// (the import wins per key), tags are united, and an opt-out is sticky.
enum AudienceProjection {
    static func replaceMembers<S: Sequence>(of audience: String, with contacts: S, at date: Date, _ db: Database) throws
    where S.Element == AudienceContact {
        try removeMembers(of: audience, db)
        let insertMember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO audience_members (audience, phone) VALUES (?, ?)")
        for contact in contacts {
            try upsert(contact, at: date, db)
            try insertMember.execute(arguments: [audience, contact.phone])
        }
    }

    static func removeMembers(of audience: String, _ db: Database) throws {
        try AudienceMemberRow.filter(AudienceMemberRow.Columns.audience == audience).deleteAll(db)
    }

    /// One statement per contact: insert, or merge into the existing row and touch
    /// `updated_at` only when something changed (the WHERE of the upsert). Done in SQL rather
    /// than fetch-compare-write because audiences run to hundreds of thousands of rows.
    static func upsert(_ contact: AudienceContact, at date: Date, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: upsertSQL)
        let now = Timestamps.format(date)
        try statement.execute(arguments: [
            contact.phone, contact.name, try json(contact.attributes), try json(Array(Set(contact.tags)).sorted()),
            contact.optedOut, contact.optedOut ? now : nil, now, now,
        ])
    }

    static let upsertSQL = """
        INSERT INTO contacts (phone, name, attributes, tags, opted_out, opted_out_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
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

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
