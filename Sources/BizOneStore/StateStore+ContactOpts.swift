import BizOneModel
import Foundation
import GRDB

/// Opting a contact out or back in by hand (an operator acting on a customer's request),
/// recorded with who did it. Opt-outs from webhooks and imports stay sticky; only this turns
/// one back.
extension StateStore {
    /// Contacts opted out (or all, `optedOut` nil), by phone, at most `limit`.
    public func contacts(optedOut: Bool?, limit: Int) throws -> [ContactRecord] {
        try read { db in
            var request = ContactRow.order(ContactRow.Columns.phone)
            if let optedOut { request = request.filter(ContactRow.Columns.optedOut == optedOut) }
            return try request.limit(max(0, limit)).fetchAll(db).map(\.record)
        }
    }

    /// Sets `phone` opted out or in (creating the contact if missing) and records the change.
    /// Returns false when it was already so (nothing recorded).
    public func setOptOut(phone: String, optedOut: Bool, by: String, at: Date) throws -> Bool {
        try write { db in
            let current = try ContactRow.fetchOne(db, key: phone)
            guard current?.optedOut != optedOut, !(current == nil && !optedOut) else { return false }
            if optedOut {
                try Inbox.optOut(phone: phone, at: at, db)
            } else {
                try db.cachedStatement(sql: "UPDATE contacts SET opted_out = 0, opted_out_at = NULL, updated_at = ? WHERE phone = ?")
                    .execute(arguments: [Timestamps.format(at), phone])
            }
            try ContactOptChangeRow(id: nil, phone: phone, optedOut: optedOut, by: by, at: at).insert(db)
            return true
        }
    }

    /// The hand-made changes of a contact, oldest first.
    public func contactOptChanges(phone: String) throws -> [ContactOptChange] {
        try read { db in
            try ContactOptChangeRow.filter(ContactOptChangeRow.Columns.phone == phone).order(ContactOptChangeRow.Columns.id).fetchAll(db).map(\.change)
        }
    }
}
