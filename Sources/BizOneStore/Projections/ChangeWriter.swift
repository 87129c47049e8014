import BizOneModel
import Foundation
import GRDB

/// Writes one plan change into an open transaction: the `resources` row, the inventory and
/// the kind's projection tables. Recording the outcome is the caller's job.
struct ChangeWriter {
    var change: PlanChange
    var runID: String
    var date: Date
    var revision: String?
    /// Audiences only: when set, the audience's members become exactly these rows.
    var audienceRows: (any AudienceRowSource)?

    /// Returns the audience import's counts when rows were imported.
    @discardableResult
    func apply(_ db: Database) throws -> AudienceImportCounts? {
        let counts = try write(db)
        if change.id.kind == .user || change.id.kind == .role { try recordAccountChange(db) }
        return counts
    }

    private func write(_ db: Database) throws -> AudienceImportCounts? {
        switch change.action {
        case .create, .adopt:
            // An adopted resource already exists remotely; recording it makes BizOne its manager.
            let counts = try upsert(try requireAfter(), db)
            try InventoryRow(resourceID: change.id.description, createdAt: date, createdByRun: runID).insert(db, onConflict: .ignore)
            return counts
        case .update:
            // Leaves the inventory as it is: an update does not make BizOne the creator.
            return try upsert(try requireAfter(), db)
        case .replace:
            let after = try requireAfter()
            try delete(db, replacing: true)
            let counts = try upsert(after, db)
            try InventoryRow(resourceID: change.id.description, createdAt: date, createdByRun: runID).insert(db)
            return counts
        case .delete:
            try delete(db, replacing: false)
            return nil
        case .pending:
            throw StoreError.invalidChange("\(change.id) is pending, not actionable")
        }
    }

    /// A user or role change is a security event naming the run, its actor and revision; a
    /// user who is now disabled or removed loses every session in the same transaction.
    private func recordAccountChange(_ db: Database) throws {
        let actor = try ApplyRunRow.fetchOne(db, key: runID)?.actor ?? "unknown"
        var detail = "\(change.action.rawValue) by apply run \(runID) (actor \(actor), revision \(revision ?? "unknown"))"
        var email: String?
        if change.id.kind == .user {
            let user = try UserRow.fetchOne(db, key: change.id.name)
            email = user?.email
            if user == nil || user?.disabled == true {
                let reason = user == nil ? "user removed by apply" : "user disabled by apply"
                let ended = try StateStore.revokeAll(userName: change.id.name, reason: reason, at: date, db)
                if user == nil { try UserCredentialRow.deleteOne(db, key: change.id.name) }
                detail += "; \(reason), \(ended) sessions ended"
            }
        }
        let kind: SecurityEventKind = change.id.kind == .user ? .userChanged : .roleChanged
        try StateStore.record(SecurityEvent(at: date, kind: kind, userName: change.id.kind == .user ? change.id.name : nil, email: email,
                                            detail: change.id.kind == .role ? "role/\(change.id.name): " + detail : detail), db)
    }

    private func requireAfter() throws -> JSONValue {
        guard let after = change.after else {
            throw StoreError.invalidChange("\(change.id) (\(change.action.rawValue)) has no content to apply")
        }
        return after
    }

    private func upsert(_ after: JSONValue, _ db: Database) throws -> AudienceImportCounts? {
        let row = try ResourceRow(id: change.id, content: after, contentHash: change.afterHash ?? ContentHash.of(after),
                                  appliedAt: date, runID: runID, revision: revision)
        // save = UPDATE, else INSERT; never REPLACE, which would cascade away the inventory row.
        try row.save(db)
        switch change.id.kind {
        case .role: try RoleProjection.write(change, after: after, db)
        case .user: try UserProjection.write(change, after: after, db)
        case .audience:
            if let audienceRows {
                return try AudienceProjection.importRows(of: change.id.name, from: audienceRows, at: date, db)
            }
        case .integration, .mailer, .template, .schedule, .webhookRoute, .sla, .cannedResponse, .campaign:
            break // content in `resources` is all there is, for now
        }
        return nil
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
        case .integration, .mailer, .template, .schedule, .webhookRoute, .sla, .cannedResponse, .campaign: break
        }
        _ = try ResourceRow.deleteOne(db, key: change.id.description)
    }
}
