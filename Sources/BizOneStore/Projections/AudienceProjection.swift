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

    static func upsert(_ contact: AudienceContact, at date: Date, _ db: Database) throws {
        guard var row = try ContactRow.fetchOne(db, key: contact.phone) else {
            try ContactRow(phone: contact.phone, name: contact.name, attributes: contact.attributes,
                           tags: Array(Set(contact.tags)).sorted(), optedOut: contact.optedOut,
                           optedOutAt: contact.optedOut ? date : nil, createdAt: date, updatedAt: date).insert(db)
            return
        }
        let before = row
        if let name = contact.name { row.name = name }
        row.attributes.merge(contact.attributes) { _, imported in imported }
        row.tags = Array(Set(row.tags).union(contact.tags)).sorted()
        if contact.optedOut && !row.optedOut {
            row.optedOut = true
            row.optedOutAt = date
        }
        if row != before {
            row.updatedAt = date
            try row.update(db)
        }
    }
}
