import BizOneModel
import Foundation
import GRDB

/// Writes one plan change into an open transaction: the `resources` row, the inventory and
/// the kind's projection tables. Recording the outcome is the caller's job.
struct ChangeWriter<Contacts: Sequence> where Contacts.Element == AudienceContact {
    var change: PlanChange
    var runID: String
    var date: Date
    var revision: String?
    var audienceContacts: Contacts?

    func apply(_ db: Database) throws {
        switch change.action {
        case .create, .adopt:
            // An adopted resource already exists remotely; recording it makes BizOne its manager.
            try upsert(try requireAfter(), db)
            try InventoryRow(resourceID: change.id.description, createdAt: date, createdByRun: runID).insert(db, onConflict: .ignore)
        case .update:
            // Leaves the inventory as it is: an update does not make BizOne the creator.
            try upsert(try requireAfter(), db)
        case .replace:
            let after = try requireAfter()
            try delete(db, replacing: true)
            try upsert(after, db)
            try InventoryRow(resourceID: change.id.description, createdAt: date, createdByRun: runID).insert(db)
        case .delete:
            try delete(db, replacing: false)
        case .pending:
            throw StoreError.invalidChange("\(change.id) is pending, not actionable")
        }
    }

    private func requireAfter() throws -> JSONValue {
        guard let after = change.after else {
            throw StoreError.invalidChange("\(change.id) (\(change.action.rawValue)) has no content to apply")
        }
        return after
    }

    private func upsert(_ after: JSONValue, _ db: Database) throws {
        let row = try ResourceRow(id: change.id, content: after, contentHash: change.afterHash ?? ContentHash.of(after),
                                  appliedAt: date, runID: runID, revision: revision)
        // save = UPDATE, else INSERT; never REPLACE, which would cascade away the inventory row.
        try row.save(db)
        switch change.id.kind {
        case .role: try RoleProjection.write(change, after: after, db)
        case .user: try UserProjection.write(change, after: after, db)
        case .audience:
            if let audienceContacts {
                try AudienceProjection.replaceMembers(of: change.id.name, with: audienceContacts, at: date, db)
            }
        case .integration, .template, .schedule, .webhookRoute, .campaign:
            break // content in `resources` is all there is, for now
        }
    }

    /// Removes the resource, its inventory row (by cascade) and its projection rows.
    ///
    /// A replaced role keeps its `roles` row (it is rewritten right after): deleting it would
    /// be refused while users hold the role, and the result is the same.
    private func delete(_ db: Database, replacing: Bool) throws {
        switch change.id.kind {
        case .role: if !replacing { try RoleProjection.remove(change.id.name, db) }
        case .user: try UserProjection.remove(change.id.name, db)
        case .audience: try AudienceProjection.removeMembers(of: change.id.name, db)
        case .integration, .template, .schedule, .webhookRoute, .campaign: break
        }
        _ = try ResourceRow.deleteOne(db, key: change.id.description)
    }
}
