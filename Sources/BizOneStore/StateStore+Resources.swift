import BizOneModel
import Foundation
import GRDB

extension StateStore {
    /// All applied resources as the planner's observed side; `managed` means in the inventory.
    public func observedState() throws -> ObservedState {
        try read { db in
            var resources: [ResourceID: AppliedResource] = [:]
            for record in try Self.appliedResources(db) { resources[record.id] = record.applied }
            return ObservedState(lineage: try MetaRow.lineage(db), serial: try MetaRow.serial(db), resources: resources)
        }
    }

    /// All applied resources with provenance, sorted by id in apply order.
    public func appliedResources() throws -> [AppliedResourceRecord] {
        try read { db in try Self.appliedResources(db) }
    }

    /// One applied resource, or nil when it is not in state.
    public func appliedResource(_ id: ResourceID) throws -> AppliedResourceRecord? {
        try read { db in
            guard let row = try ResourceRow.fetchOne(db, key: id.description) else { return nil }
            return try Self.record(row, inventory: try InventoryRow.fetchOne(db, key: row.id))
        }
    }

    /// The applied resources of the given kinds, sorted by id: what the webhook processor and
    /// the campaign sender need without reading (and decoding) every template in state.
    public func appliedResources(of kinds: Set<ResourceKind>) throws -> [AppliedResourceRecord] {
        try read { db in
            let rows = try ResourceRow.filter(kinds.map(\.rawValue).contains(ResourceRow.Columns.kind)).fetchAll(db)
            var inventory: [String: InventoryRow] = [:]
            for row in try InventoryRow.fetchAll(db, keys: rows.map(\.id)) { inventory[row.resourceID] = row }
            return try rows.map { try Self.record($0, inventory: inventory[$0.id]) }.sorted { $0.id < $1.id }
        }
    }

    /// Which resources of the given kinds are applied, and in which version (id and content
    /// hash, sorted by id): equal answers mean `appliedResources(of:)` would read the same.
    /// One index walk, so a caller can ask before every batch and rebuild only on a change.
    public func appliedVersions(of kinds: Set<ResourceKind>) throws -> [ResourceVersion] {
        try read { db in
            try ResourceRow.select(ResourceRow.Columns.id, ResourceRow.Columns.contentHash)
                .filter(kinds.map(\.rawValue).contains(ResourceRow.Columns.kind))
                .order(ResourceRow.Columns.id)
                .asRequest(of: ResourceVersionRow.self).fetchAll(db)
                .map { ResourceVersion(id: $0.id, contentHash: $0.contentHash) }
        }
    }

    /// The applied integrations (those whose spec reads back; a spec that does not is left out).
    public func appliedIntegrations() throws -> IntegrationSet {
        var byName: [String: IntegrationSpec] = [:]
        for record in try appliedResources(of: [.integration]) {
            if let spec = try? record.content["spec"]?.decode(IntegrationSpec.self) { byName[record.id.name] = spec }
        }
        return IntegrationSet(byName)
    }

    static func appliedResources(_ db: Database) throws -> [AppliedResourceRecord] {
        var inventory: [String: InventoryRow] = [:]
        for row in try InventoryRow.fetchAll(db) { inventory[row.resourceID] = row }
        return try ResourceRow.fetchAll(db)
            .map { try record($0, inventory: inventory[$0.id]) }
            .sorted { $0.id < $1.id }
    }

    static func record(_ row: ResourceRow, inventory: InventoryRow?) throws -> AppliedResourceRecord {
        AppliedResourceRecord(id: try row.resourceID(), content: try row.contentValue(), contentHash: row.contentHash,
                              appliedAt: row.appliedAt, runID: row.applyRunID, revision: row.revision,
                              managed: inventory != nil, createdAt: inventory?.createdAt)
    }
}
